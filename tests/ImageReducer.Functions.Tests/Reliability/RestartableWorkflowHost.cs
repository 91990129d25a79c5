using ImageReducer.Functions.Tests.Infrastructure;

namespace ImageReducer.Functions.Tests.Reliability;

/// <summary>
/// A <see cref="WorkflowHost"/> of its own on a disk-backed Azurite, so tests can stop and restart the
/// storage process (same port, same data) without disturbing the shared host. Each test must leave it running.
/// </summary>
public sealed class RestartableWorkflowHost() : WorkflowHost(persistent: true);

/// <summary>
/// <see cref="RestartableWorkflowHost"/> on the Durable Task Azure Storage provider, the task hub in the same disk-backed Azurite
/// as the data (<c>UseDevelopmentStorage=true</c> for both, as <c>func start</c> runs locally): stopping storage stops the
/// Durable backend too, and the worker must ride out its own queues and tables going away.
/// </summary>
public sealed class RestartableStorageProviderHost() : WorkflowHost(persistent: true, storageProvider: true);
