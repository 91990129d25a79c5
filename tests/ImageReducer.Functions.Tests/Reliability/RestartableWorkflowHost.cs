using ImageReducer.Functions.Tests.Infrastructure;

namespace ImageReducer.Functions.Tests.Reliability;

/// <summary>
/// A <see cref="WorkflowHost"/> of its own on a disk-backed Azurite, so tests can stop and restart the
/// storage process (same port, same data) without disturbing the shared host. Each test must leave it running.
/// </summary>
public sealed class RestartableWorkflowHost() : WorkflowHost(persistent: true);
