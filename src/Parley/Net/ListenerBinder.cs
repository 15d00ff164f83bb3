using System.Net;
using System.Net.Sockets;

namespace Parley.Net;

/// <summary>
/// Binds a listening socket, counting up from the requested port while ports are in use. Binding itself is the
/// test for "in use", so two servers racing for one port both come up, on different ports. Shared by TCP and UDP:
/// each says how a port found in use is reported (its own log event).
/// </summary>
internal static class ListenerBinder
{
    /// <summary>Binds (and for a stream socket listens); <c>portInUse</c> is told each busy port, why, and the next one tried.</summary>
    public static Socket Bind(
        IPAddress? address, int port, int portTries, int backlog, SocketType socketType, ProtocolType protocol,
        Action<int, string, int> portInUse)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        var tries = port == 0 ? 1 : Math.Clamp(portTries, 1, IPEndPoint.MaxPort - port + 1);
        SocketException? last = null;
        for (var i = 0; i < tries; i++)
        {
            var candidate = port + i;
            try
            {
                return BindOne(address, candidate, backlog, socketType, protocol);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                last = e;
                if (i + 1 < tries)
                {
                    portInUse(candidate, e.Message, candidate + 1);
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
            {
                throw new ListenException(
                    $"permission denied for port {candidate}{(candidate < 1024 ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE; try a port of 1024 or more)" : "")}",
                    ListenFailure.PermissionDenied, e.SocketErrorCode, e);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                throw new ListenException(
                    $"cannot listen on {address}: that address is not on this machine",
                    ListenFailure.AddressNotAvailable, e.SocketErrorCode, e);
            }
            catch (SocketException e)
            {
                throw new ListenException(
                    $"cannot listen on {Describe(address, candidate)}: {e.Message}", ListenFailure.Other, e.SocketErrorCode, e);
            }
        }

        var range = tries == 1 ? $"port {port} is" : $"ports {port} to {port + tries - 1} are all";
        throw new ListenException(
            $"{range} in use on {Describe(address)}", ListenFailure.PortsInUse, SocketError.AddressAlreadyInUse, last);
    }

    private static Socket BindOne(IPAddress? address, int port, int backlog, SocketType socketType, ProtocolType protocol)
    {
        if (address is null && Socket.OSSupportsIPv6)
        {
            try
            {
                return Open(IPAddress.IPv6Any, dualMode: true, port, backlog, socketType, protocol);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressFamilyNotSupported
                or SocketError.AddressNotAvailable or SocketError.ProtocolNotSupported)
            {
                // IPv6 is compiled in but switched off on this host: IPv4 alone is what there is.
            }
        }

        return Open(address ?? IPAddress.Any, dualMode: false, port, backlog, socketType, protocol);
    }

    private static Socket Open(IPAddress address, bool dualMode, int port, int backlog, SocketType socketType, ProtocolType protocol)
    {
        var socket = new Socket(address.AddressFamily, socketType, protocol);
        try
        {
            if (dualMode)
            {
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(address, port));
            if (socketType == SocketType.Stream)
            {
                socket.Listen(backlog);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Describe(IPAddress? address, int? port = null)
    {
        var host = address is null ? "all interfaces" : address.ToString();
        return port is null ? host : $"{host} port {port}";
    }
}
