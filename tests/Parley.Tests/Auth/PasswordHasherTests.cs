using System.Text.RegularExpressions;
using Parley.Auth;

namespace Parley.Tests.Auth;

public sealed class PasswordHasherTests
{
    private static readonly Argon2Settings Cheap = new(64, 1);

    [Fact]
    public void The_default_settings_are_OWASPs_minimum_for_Argon2id()
    {
        Assert.Equal(new Argon2Settings(19456, 2, 1), new PasswordHasher().Settings);
    }

    [Fact]
    public void A_hash_at_the_default_settings_is_a_PHC_string_that_verifies()
    {
        var hasher = new PasswordHasher();

        var hash = hasher.Hash("correct horse battery staple");

        Assert.Matches(@"^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$", hash);
        Assert.Equal(PasswordCheck.Valid, hasher.Verify("correct horse battery staple", hash));
        Assert.Equal(PasswordCheck.Invalid, hasher.Verify("correct horse battery stapler", hash));
    }

    [Fact]
    public void Each_hash_has_its_own_salt()
    {
        var hasher = new PasswordHasher(Cheap);

        Assert.NotEqual(hasher.Hash("same password"), hasher.Hash("same password"));
    }

    [Fact]
    public void A_PHC_string_round_trips()
    {
        var hash = new PasswordHasher(Cheap).Hash("pässwörd ✓");

        Assert.True(PhcHash.TryParse(hash, out var parsed));
        Assert.Equal(hash, parsed.ToString());
        Assert.Equal(Cheap, parsed.Settings);
        Assert.Equal(16, parsed.Salt.Length);
        Assert.Equal(32, parsed.Hash.Length);
    }

    [Theory]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$55PWTvddWPUD1GMbKxSff4ASfF85k9ibHJt4HlHQtBM", 64, 1)]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE", 19456, 2)]
    public void Hashes_from_the_Argon2_reference_implementation_verify(string reference, int memory, int iterations)
    {
        // Made with the reference implementation's command line (Debian package argon2):
        // echo -n password | argon2 somesaltsomesalt -id -t T -k M -p 1 -l 32 -e
        var hasher = new PasswordHasher(new Argon2Settings(memory, iterations));

        Assert.Equal(PasswordCheck.Valid, hasher.Verify("password", reference));
        Assert.Equal(PasswordCheck.Invalid, hasher.Verify("Password", reference));
    }

    [Fact]
    public void A_hash_weaker_than_the_settings_verifies_and_asks_for_an_upgrade()
    {
        var weak = new PasswordHasher(new Argon2Settings(64, 1)).Hash("upgrade me please");

        Assert.Equal(PasswordCheck.ValidNeedsUpgrade, new PasswordHasher(new Argon2Settings(128, 1)).Verify("upgrade me please", weak));
        Assert.Equal(PasswordCheck.ValidNeedsUpgrade, new PasswordHasher(new Argon2Settings(64, 2)).Verify("upgrade me please", weak));
        Assert.Equal(PasswordCheck.Valid, new PasswordHasher(new Argon2Settings(32, 1)).Verify("upgrade me please", weak));
        Assert.Equal(PasswordCheck.Invalid, new PasswordHasher(new Argon2Settings(128, 1)).Verify("wrong", weak));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$GZQhrUkYjvhfAZoHyO9JCymbMnFk3ZPT5dEhVJO8zSw")]
    [InlineData("$argon2id$v=16$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$GZQhrUkYjvhfAZoHyO9JCymbMnFk3ZPT5dEhVJO8zSw")]
    [InlineData("$argon2id$v=19$t=1,m=64,p=1$c29tZXNhbHRzb21lc2FsdA$GZQhrUkYjvhfAZoHyO9JCymbMnFk3ZPT5dEhVJO8zSw")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA==$GZQhrUkYjvhfAZoHyO9JCymbMnFk3ZPT5dEhVJO8zSw")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$!!!$GZQhrUkYjvhfAZoHyO9JCymbMnFk3ZPT5dEhVJO8zSw")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA")]
    [InlineData("$argon2id$v=19$m=-1,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$GZQhrUkYjvhfAZoHyO9JCymbMnFk3ZPT5dEhVJO8zSw")]
    public void A_stored_string_that_is_not_an_Argon2id_PHC_hash_never_matches(string stored)
    {
        Assert.False(PhcHash.TryParse(stored, out _));
        Assert.Equal(PasswordCheck.Invalid, new PasswordHasher(Cheap).Verify("password", stored));
    }

    [Fact]
    public void Settings_NSec_cannot_compute_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(new Argon2Settings(19456, 2, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(new Argon2Settings(4, 2)));
    }

    [Fact]
    public void The_PHC_string_holds_no_trace_of_the_password()
    {
        var hash = new PasswordHasher(Cheap).Hash("hunter2hunter2");

        Assert.DoesNotMatch(new Regex("hunter2", RegexOptions.IgnoreCase), hash);
    }
}
