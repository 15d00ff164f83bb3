using Parley.Chat;

namespace Parley.Tests.Chat;

public sealed class ChatRequestTests
{
    [Theory]
    [InlineData("hello", "Text", "", "hello")]
    [InlineData("  hello  ", "Text", "", "  hello  ")]
    [InlineData("//etc/hosts", "Text", "", "/etc/hosts")]
    [InlineData("/join bob", "Join", "bob", "")]
    [InlineData("/JOIN   bob   ", "Join", "bob", "")]
    [InlineData("/join", "Join", "", "")]
    [InlineData("/nick rob", "Nick", "rob", "")]
    [InlineData("/who", "Who", "", "")]
    [InlineData("/who is there", "Who", "", "")]
    [InlineData("/msg bob  hi  there   ", "Msg", "bob", "hi  there")]
    [InlineData("/msg bob", "Msg", "bob", "")]
    [InlineData("/leave", "Leave", "", "")]
    [InlineData("/quit", "Leave", "", "")]
    [InlineData("/ping", "Ping", "", "")]
    [InlineData("/ping 17", "Ping", "17", "")]
    [InlineData("/me waves", "Unknown", "me", "")]
    [InlineData("/", "Unknown", "", "")]
    public void Lines_parse_into_requests(string text, string kind, string argument, string body) =>
        Assert.Equal(new ChatRequest(Enum.Parse<ChatRequestKind>(kind), argument, body), ChatRequest.Parse(text));
}
