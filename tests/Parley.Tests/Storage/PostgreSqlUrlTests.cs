using Parley.Storage;

namespace Parley.Tests.Storage;

public sealed class PostgreSqlUrlTests
{
    [Fact]
    public void A_full_URL_becomes_connection_settings_and_is_shown_without_its_password()
    {
        var url = PostgreSqlUrl.Parse("postgresql://ann%40lab:p%3Ass%2Fw@db.example:6543/parley%20db?sslmode=verify-full&connect_timeout=9&application_name=front-a");

        Assert.Equal("ann@lab", url.Settings.Username);
        Assert.Equal("p:ss/w", url.Settings.Password);
        Assert.Equal("db.example", url.Settings.Host);
        Assert.Equal(6543, url.Settings.Port);
        Assert.Equal("parley db", url.Settings.Database);
        Assert.Equal(Npgsql.SslMode.VerifyFull, url.Settings.SslMode);
        Assert.Equal(9, url.Settings.Timeout);
        Assert.Equal("front-a", url.Settings.ApplicationName);
        Assert.Equal("postgres://ann%40lab@db.example:6543/parley%20db", url.Display);
        Assert.Equal("db.example:6543", url.Endpoint);
    }

    [Fact]
    public void Without_password_port_or_user_the_defaults_of_libpq_and_a_bounded_connect_timeout_apply()
    {
        var url = PostgreSqlUrl.Parse("postgres://[::1]/parley");

        Assert.Null(url.Settings.Password);
        Assert.Null(url.Settings.Username);
        Assert.Equal("::1", url.Settings.Host);
        Assert.Equal(5432, url.Settings.Port);
        Assert.Equal(PostgreSqlUrl.DefaultConnectTimeout, url.Settings.Timeout);
        Assert.Equal("[::1]:5432", url.Endpoint);
        Assert.Equal("postgres://[::1]:5432/parley", url.Display);
    }

    [Theory]
    [InlineData("mysql://u@h/db", "a PostgreSQL URL starts with postgres:// or postgresql://")]
    [InlineData("postgres://u:pw@h", "the URL names no database: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")]
    [InlineData("postgres://u:pw@/db", "the URL names no host: postgres://USER@HOST[:PORT]/DATABASE")]
    [InlineData("postgres://u:pw@h:0/db", "the URL's port '0' is not a number from 1 to 65535")]
    [InlineData("postgres://u:pw@h:x/db", "the URL's port 'x' is not a number from 1 to 65535")]
    [InlineData("postgres://u:pw@[::1/db", "the URL's IPv6 host has no closing ']'")]
    [InlineData("postgres://:pw@h/db", "the URL has an empty user name before '@'")]
    [InlineData("postgres://u:pw@h/db?connect_timeout=0", "connect_timeout '0' is not a number of seconds from 1 to 3600")]
    [InlineData("postgres://u:pw@h/db?password=x", "the URL option 'password' is not supported (accepted: sslmode, sslrootcert, sslcert, sslkey, connect_timeout, application_name)")]
    public void A_malformed_URL_is_refused_with_a_reason_that_never_holds_the_password(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => PostgreSqlUrl.Parse(text));

        Assert.Equal(reason, error.Message);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }
}
