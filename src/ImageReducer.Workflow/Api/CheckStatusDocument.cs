namespace ImageReducer.Workflow.Api;

/// <summary>
/// The part of the Durable check-status body (the 202 of <c>POST /api/reductions</c> and <c>/api/nights</c>, written by
/// the Durable extension) that the client uses.
/// </summary>
/// <param name="Id">The orchestration instance id.</param>
/// <param name="StatusQueryGetUri">Durable's own status URL. Not shown: it carries the extension's system key on a deployed app.</param>
public sealed record CheckStatusDocument(string? Id, string? StatusQueryGetUri);
