metadata description = 'ImageReducer on Azure Functions Flex Consumption: data/host storage, monitoring, the Function App, its data-plane roles and the Event Grid BlobCreated subscription that starts reductions.'

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------
// Naming and placement
// ---------------------------------------------------------------------------------------------

@description('Short lowercase prefix of every resource name (letters and digits).')
@minLength(3)
@maxLength(11)
param baseName string = 'imred'

@description('Azure region of every resource; the region must offer Flex Consumption.')
param location string = resourceGroup().location

@description('Tags applied to every resource.')
param tags {*: string} = {
  application: 'ImageReducer'
}

// ---------------------------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------------------------

@description('Replication SKU of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Container that receives raw exposures; a BlobCreated event here starts a ReduceExposure orchestration.')
@minLength(3)
@maxLength(63)
param incomingContainerName string = 'incoming'

@description('Container that receives reduced outputs.')
@minLength(3)
@maxLength(63)
param outputContainerName string = 'outputs'

@description('Container that receives copies of corrupt or rejected inputs.')
@minLength(3)
@maxLength(63)
param quarantineContainerName string = 'quarantine'

@description('Container that receives Event Grid events that could not be delivered to the app.')
@minLength(3)
@maxLength(63)
param deadLetterContainerName string = 'eventgrid-deadletter'

@description('Days a deleted blob or container stays recoverable.')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int = 7

@description('Days after its last change that a run\'s intermediate blob (<output container>/.work/..., and stale start markers under .starts/) is deleted by the storage lifecycle rule. Runs delete their own work when they end; this removes what a crashed run left. Keep it longer than the longest run.')
@minValue(1)
@maxValue(365)
param workBlobRetentionDays int = 7

@description('Days after quarantine that a quarantined input and its .error.json are deleted by the storage lifecycle rule; 0 keeps them forever.')
@minValue(0)
@maxValue(3650)
param quarantineRetentionDays int = 90

// ---------------------------------------------------------------------------------------------
// Function App (Flex Consumption)
// ---------------------------------------------------------------------------------------------

@description('Memory per instance in MB (512, 2048 or 4096). A MapTile activity holds its tile, expanded border and outputs in memory.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound of instances (40 to 1000); each counts against the regional Flex memory quota.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Always-ready instances of the Durable group (0 = scale from zero, with a cold start per reduction).')
@minValue(0)
@maxValue(20)
param alwaysReadyDurableInstances int = 1

@description('Concurrent HTTP requests per instance (status API).')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 16

@description('Durable task hub name (3-45 letters and digits, starting with a letter); host.json reads it as %TaskHubName%. Changing it abandons running orchestrations.')
@minLength(3)
@maxLength(45)
param taskHubName string = 'ImageReducer'

@description('Largest input exposure accepted, in pixels (width x height); larger inputs are quarantined.')
@minValue(1)
param maxPixels int = 268435456

@description('Largest number of grid cells one exposure may be split into.')
@minValue(1)
param maxCells int = 65536

@description('Largest number of MapTile activities one exposure may fan out to.')
@minValue(1)
param maxTiles int = 1024

@description('Edge length in pixels of the square tile one MapTile activity processes.')
@minValue(64)
param tileSize int = 2048

@description('How a single reduction (HTTP API, blob trigger) is split into activities when its request does not say (ImageReducer__ExposureFlow): tiled (Plan, MapTiles side by side, Reduce: the shortest wall time of one exposure), whole (one activity) or auto (whole where it fits wholeExposureMemoryBytes).')
@allowed([
  'tiled'
  'whole'
  'auto'
])
param exposureFlow string = 'tiled'

@description('The same for the exposures of a night (ImageReducer__NightExposureFlow): auto reduces each exposure that fits wholeExposureMemoryBytes in one activity called by its batch, the night\'s main cost lever (docs/night-scale.md).')
@allowed([
  'tiled'
  'whole'
  'auto'
])
param nightExposureFlow string = 'auto'

@description('Memory one whole-exposure activity may use, in bytes (ImageReducer__WholeExposureMemoryBytes): an auto exposure estimated over it (40 bytes per pixel) runs tiled. Default: the instance memory shared by the activities it runs at once, so whole activities side by side cannot exhaust it (2048 MB: 512 MiB, a 4096² CCD runs tiled; 4096 MB: 1 GiB, it runs whole).')
@minValue(1)
param wholeExposureMemoryBytes int = instanceMemoryMB * 1048576 / 4 // 4 = host.json durableTask.maxConcurrentActivityFunctions (a test keeps them equal)

@description('Name endings of exposures (case-insensitive): only blobs ending so start reductions, filtered both by the Event Grid subscription and by the app (ImageReducer__ExposureSuffixes); other blobs in the incoming container are ignored. At most 25 (the Event Grid StringEndsWith limit). The engine does not read tile-compressed .fits.fz.')
@minLength(1)
@maxLength(25)
param exposureSuffixes string[] = [
  '.fits'
  '.fit'
]

// ---------------------------------------------------------------------------------------------
// Event Grid
// ---------------------------------------------------------------------------------------------

@description('Create the Event Grid system topic and BlobCreated subscription. Needs the app code (with the blob trigger) published first: the webhook key exists only then.')
param deployBlobEventSubscription bool = false

@description('Name of the blob-trigger function (Source = EventGrid) that receives BlobCreated events.')
param blobTriggerFunctionName string = 'ExposureUploaded'

@description('Delivery attempts per event before it is dead-lettered (1 to 30).')
@minValue(1)
@maxValue(30)
param maxDeliveryAttempts int = 30

@description('Minutes Event Grid keeps retrying an event (1 to 1440).')
@minValue(1)
@maxValue(1440)
param eventTimeToLiveInMinutes int = 1440

// ---------------------------------------------------------------------------------------------
// Monitoring and operators
// ---------------------------------------------------------------------------------------------

@description('Days the Log Analytics workspace keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Daily ingestion cap of the workspace in GB (-1 = no cap).')
@minValue(-1)
param logDailyQuotaGb int = -1

@description('Object id of a user or group given Storage Blob Data Contributor to upload exposures and read outputs (az ... --auth-mode login); empty for none.')
param operatorPrincipalId string = ''

@description('Principal type of operatorPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

// ---------------------------------------------------------------------------------------------
// Names (deterministic per subscription, resource group and baseName)
// ---------------------------------------------------------------------------------------------

var suffix = uniqueString(subscription().id, resourceGroup().id, baseName)
var storageAccountName = take(toLower('st${baseName}${suffix}'), 24)
var functionAppName = 'func-${baseName}-${suffix}'
var deploymentContainerName = 'app-package-${take(functionAppName, 40)}'
var appInsightsName = 'appi-${baseName}-${suffix}'

// Modules receive these deterministic names rather than other modules' outputs, so What-If can
// predict every resource id; the dependsOn lists restore the ordering that outputs would imply.

module storage 'modules/storage.bicep' = {
  params: {
    name: storageAccountName
    location: location
    tags: tags
    skuName: storageSkuName
    incomingContainerName: incomingContainerName
    outputContainerName: outputContainerName
    quarantineContainerName: quarantineContainerName
    deadLetterContainerName: deadLetterContainerName
    deploymentContainerName: deploymentContainerName
    softDeleteRetentionDays: softDeleteRetentionDays
    workBlobRetentionDays: workBlobRetentionDays
    quarantineRetentionDays: quarantineRetentionDays
  }
}

module monitoring 'modules/monitoring.bicep' = {
  params: {
    workspaceName: 'log-${baseName}-${suffix}'
    appInsightsName: appInsightsName
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
    dailyQuotaGb: logDailyQuotaGb
  }
}

module functionApp 'modules/functionApp.bicep' = {
  params: {
    name: functionAppName
    planName: 'plan-${baseName}-${suffix}'
    location: location
    tags: tags
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyDurableInstances: alwaysReadyDurableInstances
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    imageReducerSettings: [
      { name: 'TaskHubName', value: taskHubName }
      { name: 'ImageReducer__IncomingContainer', value: incomingContainerName }
      { name: 'ImageReducer__OutputContainer', value: outputContainerName }
      { name: 'ImageReducer__QuarantineContainer', value: quarantineContainerName }
      { name: 'ImageReducer__MaxPixels', value: string(maxPixels) }
      { name: 'ImageReducer__MaxCells', value: string(maxCells) }
      { name: 'ImageReducer__MaxTiles', value: string(maxTiles) }
      { name: 'ImageReducer__TileSize', value: string(tileSize) }
      { name: 'ImageReducer__ExposureSuffixes', value: join(exposureSuffixes, ',') }
      { name: 'ImageReducer__ExposureFlow', value: exposureFlow }
      { name: 'ImageReducer__NightExposureFlow', value: nightExposureFlow }
      { name: 'ImageReducer__WholeExposureMemoryBytes', value: string(wholeExposureMemoryBytes) }
    ]
  }
  dependsOn: [
    storage
  ]
}

module roleAssignments 'modules/roleAssignments.bicep' = {
  params: {
    storageAccountName: storageAccountName
    appInsightsName: appInsightsName
    functionAppName: functionAppName
    appPrincipalId: functionApp.outputs.principalId
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
  }
  dependsOn: [
    storage
  ]
}

module eventGrid 'modules/eventGrid.bicep' = if (deployBlobEventSubscription) {
  params: {
    location: location
    tags: tags
    systemTopicName: 'evgt-${baseName}-${suffix}'
    subscriptionName: 'incoming-blob-created'
    storageAccountName: storageAccountName
    incomingContainerName: incomingContainerName
    exposureSuffixes: exposureSuffixes
    deadLetterContainerName: deadLetterContainerName
    functionAppName: functionAppName
    blobTriggerFunctionName: blobTriggerFunctionName
    maxDeliveryAttempts: maxDeliveryAttempts
    eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
  }
  // The app must exist and be able to read its data before events arrive.
  dependsOn: [
    storage
    functionApp
    roleAssignments
  ]
}

@description('Names of the blob containers.')
output containers containerNames = {
  incoming: incomingContainerName
  outputs: outputContainerName
  quarantine: quarantineContainerName
  deadLetter: deadLetterContainerName
  deployment: deploymentContainerName
}

@description('Name of the Function App.')
output functionAppName string = functionApp.outputs.name

@description('Default host name of the Function App.')
output functionAppDefaultHostName string = functionApp.outputs.defaultHostName

@description('Name of the storage account (data, host storage and task hub).')
output storageAccountName string = storage.outputs.name

@description('Blob service endpoint of the storage account.')
output blobEndpoint string = storage.outputs.blobEndpoint

@description('Durable task hub name.')
output taskHubName string = taskHubName

@description('Whether the Event Grid BlobCreated subscription was deployed in this run.')
output blobEventSubscriptionDeployed bool = deployBlobEventSubscription

@description('Names of the ImageReducer blob containers.')
type containerNames = {
  @description('Raw exposures; BlobCreated here starts a reduction.')
  incoming: string

  @description('Reduced outputs.')
  outputs: string

  @description('Copies of corrupt or rejected inputs.')
  quarantine: string

  @description('Undeliverable Event Grid events.')
  deadLetter: string

  @description('Flex Consumption deployment packages.')
  deployment: string
}
