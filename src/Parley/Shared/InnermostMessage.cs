namespace Parley.Shared;

/// <summary>The message of the innermost exception: the one that says what went wrong, under the wrappers.</summary>
internal static class InnermostMessage
{
    public static string Of(Exception e)
    {
        while (e.InnerException is { } inner)
        {
            e = inner;
        }

        return e.Message;
    }
}
