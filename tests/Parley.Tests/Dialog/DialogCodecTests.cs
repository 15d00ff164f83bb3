using FsCheck;
using FsCheck.Fluent;
using Parley.Dialog;

namespace Parley.Tests.Dialog;

public sealed class DialogCodecTests
{
    [Fact]
    public void A_message_is_written_with_camelCase_fields_and_without_absent_ones()
    {
        Assert.Equal("{\"type\":\"hello\",\"service\":\"ident\",\"version\":1}", DialogCodec.Serialize(DialogMessage.Hello("ident")));
        Assert.Equal("{\"type\":\"ask\",\"id\":\"name\",\"text\":\"What is your name?\",\"secret\":false}",
            DialogCodec.Serialize(DialogMessage.Ask("name", "What is your name?")));
        Assert.Equal("{\"type\":\"error\",\"code\":\"throttled\",\"text\":\"Wait.\",\"retryAfter\":30}",
            DialogCodec.Serialize(DialogMessage.Error("throttled", "Wait.", 30)));
    }

    [Fact]
    public void A_hello_carries_the_service_id_of_its_database_when_there_is_one()
    {
        Assert.Equal("{\"type\":\"hello\",\"service\":\"auth\",\"version\":1,\"serviceId\":\"0123456789abcdef0123456789abcdef\"}",
            DialogCodec.Serialize(DialogMessage.Hello("auth", "0123456789abcdef0123456789abcdef")));
        Assert.Equal("{\"type\":\"hello\",\"service\":\"auth\",\"version\":1}", DialogCodec.Serialize(DialogMessage.Hello("auth", "")));
    }

    [Fact]
    public void Text_outside_ASCII_stays_readable_and_control_characters_are_escaped()
    {
        var json = DialogCodec.Serialize(DialogMessage.Echo("Привет \"x\"\n\u0001"));

        Assert.Equal("{\"type\":\"echo\",\"text\":\"Привет \\\"x\\\"\\n\\u0001\"}", json);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        Assert.True(DialogCodec.TryParse("{\"type\":\"answer\",\"id\":\"name\",\"text\":\"Al\",\"extra\":{\"deep\":[1,2]},\"n\":3}", out var message, out _));

        Assert.Equal(("answer", "name", "Al"), (message.Type, message.Id, message.Text));
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("hello", "not a JSON object")]
    [InlineData("42", "not a JSON object")]
    [InlineData("\"text\"", "not a JSON object")]
    [InlineData("null", "not a JSON object")]
    [InlineData("{\"type\":\"answer\"", "not valid JSON")]
    [InlineData("{\"type\":null}", "no type")]
    [InlineData("{\"type\":\"\"}", "no type")]
    [InlineData("{\"type\":[\"say\"]}", "not valid JSON")]
    [InlineData("{\"type\":\"ask\",\"secret\":\"yes\"}", "not valid JSON")]
    public void Malformed_text_is_refused_with_the_problem(string text, string problem)
    {
        Assert.False(DialogCodec.TryParse(text, out _, out var found));

        Assert.Contains(problem, found, StringComparison.Ordinal);
    }

    [Fact]
    public void A_problem_never_quotes_the_input()
    {
        Assert.False(DialogCodec.TryParse("{\"type\":\"answer\",\"text\":\"hunter2-secret\" oops}", out _, out var problem));

        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_never_shows_text_or_token()
    {
        var text = DialogMessage.Answer("password", "hunter2").ToString() + DialogMessage.Resume("tok3n").ToString();

        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok3n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_text_survives_a_round_trip()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), text =>
        {
            var value = text.Get;
            if (value.Any(char.IsSurrogate))
            {
                return true; // lone surrogates have no UTF-8 form; the framing refuses them before JSON is involved
            }

            return DialogCodec.TryParse(DialogCodec.Serialize(DialogMessage.Message(value)), out var back, out _) && back.Text == value;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Commands_are_exactly_the_word_in_ASCII_letters_of_any_case()
    {
        Assert.True(DialogProtocol.IsCommand("Exit", "exit"));
        Assert.False(DialogProtocol.IsCommand("exit ", "exit"));
        Assert.False(DialogProtocol.IsCommand("exıt", "exit"));
        Assert.False(DialogProtocol.IsCommand(null, "exit"));
    }
}
