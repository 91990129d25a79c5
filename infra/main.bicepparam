using './main.bicep'

// First deployment: infrastructure only. After publishing the Functions code (which creates the
// blob trigger's webhook key), deploy again with deployBlobEventSubscription = true, e.g.
//   az deployment group create ... -p infra/main.bicepparam -p deployBlobEventSubscription=true
param baseName = 'imred'

param tags = {
  application: 'ImageReducer'
  environment: 'dev'
}

param storageSkuName = 'Standard_LRS'
param incomingContainerName = 'incoming'
param outputContainerName = 'outputs'
param quarantineContainerName = 'quarantine'
param deadLetterContainerName = 'eventgrid-deadletter'

// Storage lifecycle: intermediates a crashed run left (outputs/.work/, outputs/.starts/) go after 7 days;
// quarantined inputs after 90 (0 keeps them).
param workBlobRetentionDays = 7
param quarantineRetentionDays = 90

param instanceMemoryMB = 2048
param maximumInstanceCount = 100
param alwaysReadyDurableInstances = 1
param httpPerInstanceConcurrency = 16

param taskHubName = 'ImageReducer'
param maxPixels = 268435456
param maxCells = 65536
param maxTiles = 1024
param tileSize = 2048
param exposureFlow = 'tiled'
param nightExposureFlow = 'auto'
// wholeExposureMemoryBytes: default instanceMemoryMB / 4 activities per instance (4096 MB reduces a 4096² CCD whole).

param deployBlobEventSubscription = false
param blobTriggerFunctionName = 'ExposureUploaded'
param maxDeliveryAttempts = 30
param eventTimeToLiveInMinutes = 1440

param logRetentionInDays = 30
param logDailyQuotaGb = -1

// Object id of the person who uploads exposures (az ad signed-in-user show --query id -o tsv).
param operatorPrincipalId = ''
param operatorPrincipalType = 'User'
