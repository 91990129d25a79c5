using ImageReducer.Functions.Tests.Durable;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Functions.Tests.Reliability;

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
