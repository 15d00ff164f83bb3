// The Go baseline echo server of bench/run.sh: a goroutine per connection, io.CopyBuffer with a 32 KB buffer.
// Prints "Listening on ADDRESS" once it accepts connections; Go sets TCP_NODELAY and raises the open-files soft
// limit to the hard one by itself.
package main

import (
	"fmt"
	"io"
	"net"
	"os"
)

func main() {
	address := "127.0.0.1:0"
	if len(os.Args) > 1 {
		address = os.Args[1]
	}
	listener, err := net.Listen("tcp", address)
	if err != nil {
		fmt.Fprintln(os.Stderr, "goecho:", err)
		os.Exit(1)
	}
	fmt.Println("Listening on", listener.Addr())
	for {
		connection, err := listener.Accept()
		if err != nil {
			continue
		}
		go func(c net.Conn) {
			defer c.Close()
			// Hidden behind plain interfaces so that the 32 KB buffer is used: as *net.TCPConn, io.CopyBuffer would take
			// TCPConn.ReadFrom, which on Linux splices through a pipe instead of reading and writing.
			io.CopyBuffer(struct{ io.Writer }{c}, struct{ io.Reader }{c}, make([]byte, 32*1024))
		}(connection)
	}
}
