namespace ImageReducer.Workflow.Api;

/// <summary>
/// The body of the 202 that <c>POST /api/reductions</c> and <c>POST /api/nights</c> answer: the instance id and our own status
/// route, nothing else. The Durable extension's check-status body is not used: its management URLs carry the extension's
/// system key (terminate, purge, rewind any instance), which must not reach a function-key holder.
/// </summary>
/// <param name="Id">The orchestration instance id (derived from the request, so a duplicate request gets the same one).</param>
/// <param name="StatusUri">
/// Where to follow it, also the <c>Location</c> header: <c>GET /api/reductions/{id}</c> for a reduction,
/// <c>GET /api/nights/{id}</c> for a night; the caller's function key is not part of it.
/// </param>
public sealed record RunAccepted(string Id, Uri StatusUri);
