namespace Parley.Identity;

/// <summary>A known client's connection, counted.</summary>
/// <param name="Client">The client as stored now (this visit counted).</param>
/// <param name="PreviousVisit">When it was seen before this visit.</param>
internal sealed record ClientVisit(KnownClient Client, DateTimeOffset PreviousVisit);
