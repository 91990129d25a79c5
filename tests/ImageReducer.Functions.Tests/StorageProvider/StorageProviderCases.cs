using ImageReducer.Functions.Tests.Durable;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Functions.Tests.Observability;
using ImageReducer.Functions.Tests.Reliability;
using Xunit.Abstractions;

namespace ImageReducer.Functions.Tests.StorageProvider;

// The workflow, night, corruption and fault cases once more, on the backend Azure Durable Functions uses by default: the
// Durable Task Azure Storage provider over Azurite's queues and tables (persisted history, replay from storage, queue
// polling, at-least-once delivery), as the blob-store contract tests run one set of cases on every store.

/// <summary><see cref="ReduceExposureTests"/> on the storage provider.</summary>
[Collection(StorageProviderCollection.Name)]
public sealed class ReduceExposureOnStorageProviderTests(StorageProviderWorkflowHost host) : ReduceExposureTests(host);

/// <summary><see cref="ReduceNightTests"/> on the storage provider.</summary>
[Collection(StorageProviderCollection.Name)]
public sealed class ReduceNightOnStorageProviderTests(StorageProviderWorkflowHost host) : ReduceNightTests(host);

/// <summary><see cref="CorruptInputTests"/> on the storage provider.</summary>
[Collection(StorageProviderCollection.Name)]
public sealed class CorruptInputOnStorageProviderTests(StorageProviderWorkflowHost host) : CorruptInputTests(host);

/// <summary><see cref="ErrorClassTests"/> on the storage provider.</summary>
[Collection(StorageProviderCollection.Name)]
public sealed class ErrorClassOnStorageProviderTests(StorageProviderWorkflowHost host) : ErrorClassTests(host);

/// <summary><see cref="DuplicateEventTests"/> on the storage provider: duplicate and late events against instances whose state lives in its tables.</summary>
[Collection(StorageProviderCollection.Name)]
public sealed class DuplicateEventOnStorageProviderTests(StorageProviderWorkflowHost host) : DuplicateEventTests(host);

/// <summary><see cref="ConcurrentWritersDurableTests"/> on the storage provider: racing commits with at-least-once activity delivery.</summary>
[Collection(StorageProviderCollection.Name)]
public sealed class ConcurrentWritersOnStorageProviderTests(StorageProviderWorkflowHost host, ITestOutputHelper log)
    : ConcurrentWritersDurableTests(host, log);

/// <summary>
/// <see cref="StructuredLogTests"/> on the storage provider: the orchestrator replays from the History table after every
/// activity, so the replay-safe logger's once-per-record is checked where replay really happens.
/// </summary>
[Collection(StorageProviderCollection.Name)]
public sealed class StructuredLogOnStorageProviderTests(StorageProviderWorkflowHost host) : StructuredLogTests(host);

/// <summary><see cref="MetadataFiguresTests"/> on the storage provider: the per-activity figures reach Reduce as activity outputs persisted in its History table.</summary>
[Collection(StorageProviderCollection.Name)]
public sealed class MetadataFiguresOnStorageProviderTests(StorageProviderWorkflowHost host) : MetadataFiguresTests(host);

// The outage cases stop and restart Azurite, so each has a host of its own rather than the collection's.

/// <summary><see cref="StorageOutageCases"/> on the storage provider, the task hub in the Azurite that goes down and comes back.</summary>
public sealed class StorageOutageOnStorageProviderTests(RestartableStorageProviderHost host, ITestOutputHelper log)
    : StorageOutageCases(host, log), IClassFixture<RestartableStorageProviderHost>;

/// <summary><see cref="PermanentOutageCases"/> on the storage provider, the task hub in an account that stays up.</summary>
public sealed class PermanentOutageOnStorageProviderTests(FastFailingStorageProviderHost host, ITestOutputHelper log)
    : PermanentOutageCases(host, log), IClassFixture<FastFailingStorageProviderHost>;
