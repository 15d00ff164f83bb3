using Parley.Auth;

namespace Parley.Tests.Auth;

public sealed class RulesTests
{
    [Theory]
    [InlineData("alice", "short", "short", "5 characters long; it needs at least 8")]
    [InlineData("alice", "ALICE", "ALICE", "at least 8")]
    [InlineData("alice.smith", "Alice.Smith", "Alice.Smith", "must not be the user name")]
    [InlineData("alice", "long enough", "long enuogh", "do not match")]
    public void A_weak_new_password_is_refused_with_the_reason(string user, string password, string confirmation, string reason)
    {
        Assert.Contains(reason, PasswordPolicy.Check(user, password, confirmation), StringComparison.Ordinal);
    }

    [Fact]
    public void Passwords_of_8_to_256_characters_of_any_kind_are_accepted()
    {
        Assert.Null(PasswordPolicy.Check("alice", "12345678", "12345678"));
        Assert.Null(PasswordPolicy.Check("alice", "🙂🙂🙂🙂🙂🙂🙂🙂", "🙂🙂🙂🙂🙂🙂🙂🙂"));
        var longest = new string('p', 256);
        Assert.Null(PasswordPolicy.Check("alice", longest, longest));
        Assert.Contains("257 characters long; the most is 256", PasswordPolicy.Check("alice", longest + "p", longest + "p"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" alice ", "alice")]
    [InlineData("Bob.Smith-2@work_x", "Bob.Smith-2@work_x")]
    [InlineData("Łukasz", "Łukasz")]
    public void A_valid_user_name_is_trimmed(string text, string expected)
    {
        Assert.Equal(expected, UserNameRules.Check(text, out _));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("two words", "only letters, digits")]
    [InlineData("semi;colon", "only letters, digits")]
    [InlineData("tab\tbed", "only letters, digits")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "65 characters long")]
    public void An_invalid_user_name_is_refused_with_the_reason(string text, string reason)
    {
        Assert.Null(UserNameRules.Check(text, out var found));
        Assert.Contains(reason, found, StringComparison.Ordinal);
    }

    [Fact]
    public void User_names_are_one_account_in_any_case()
    {
        Assert.Equal(UserNameRules.Key("Alice"), UserNameRules.Key("aLICE"));
    }

    [Fact]
    public void A_token_is_256_random_bits_in_base64url_and_only_its_SHA_256_is_kept()
    {
        var (token, hash) = SessionTokens.Create();
        var (other, _) = SessionTokens.Create();

        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.NotEqual(token, other);
        Assert.Equal(32, hash.Length);
        Assert.True(SessionTokens.TryHash(token, out var again));
        Assert.Equal(hash, again);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Text_that_is_not_a_token_has_no_hash(string? text)
    {
        Assert.False(SessionTokens.TryHash(text, out _));
    }

    [Fact]
    public void Five_failures_lock_for_30_seconds_then_each_doubles_up_to_15_minutes()
    {
        var policy = new ThrottlePolicy();
        var now = DateTimeOffset.UnixEpoch;
        ThrottleState? state = null;
        var lockouts = new List<int>();
        for (var i = 1; i <= 12; i++)
        {
            state = policy.OnFailure(state, now);
            lockouts.Add(ThrottlePolicy.RetryAfter(state, now));
            now = state.LockedUntil > now ? state.LockedUntil : now.AddSeconds(1);
        }

        Assert.Equal([0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900], lockouts);
    }

    [Fact]
    public void A_failure_more_than_15_minutes_after_the_last_starts_the_count_again()
    {
        var policy = new ThrottlePolicy();
        var start = DateTimeOffset.UnixEpoch;
        ThrottleState? state = null;
        for (var i = 0; i < 4; i++)
        {
            state = policy.OnFailure(state, start);
        }

        state = policy.OnFailure(state, start + TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        Assert.Equal(1, state.Failures);
        Assert.Equal(0, ThrottlePolicy.RetryAfter(state, state.LastFailure));
    }

    [Fact]
    public void Retry_after_rounds_up_to_whole_seconds()
    {
        var state = new ThrottleState(5, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(30));

        Assert.Equal(30, ThrottlePolicy.RetryAfter(state, DateTimeOffset.UnixEpoch));
        Assert.Equal(1, ThrottlePolicy.RetryAfter(state, DateTimeOffset.UnixEpoch.AddSeconds(29.2)));
        Assert.Equal(0, ThrottlePolicy.RetryAfter(state, DateTimeOffset.UnixEpoch.AddSeconds(30)));
    }
}
