metadata description = 'Flex Consumption plan (FC1) and the ImageReducer Function App (Linux, dotnet-isolated 10.0) with a system-assigned identity and identity-based connections only.'

@description('Function App name (also the default host name prefix).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region of the plan and the app.')
param location string

@description('Tags applied to every resource.')
param tags {*: string}

@description('Name of the storage account that holds host storage, the task hub, the data containers and the deployment container.')
param storageAccountName string

@description('Container that holds the deployment package (Flex Consumption one-deploy).')
param deploymentContainerName string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Memory per instance in MB (Flex Consumption: 512, 2048 or 4096).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound of instances the app scales out to (Flex Consumption: 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Always-ready instances for the Durable group (orchestrators, activities, entities); 1 avoids a cold start on every reduction.')
@minValue(0)
@maxValue(20)
param alwaysReadyDurableInstances int

@description('Per-instance HTTP concurrency of the HTTP group (status API).')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int

@description('Application settings of ImageReducer itself (containers, limits, task hub).')
param imageReducerSettings appSetting[]

@description('One application setting.')
type appSetting = {
  @description('Setting name; __ separates configuration sections.')
  name: string

  @description('Setting value.')
  value: string
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    // Linux plan.
    reserved: true
  }
}

var blobEndpoint = storage.properties.primaryEndpoints.blob
var queueEndpoint = storage.properties.primaryEndpoints.queue
var tableEndpoint = storage.properties.primaryEndpoints.table

// Identity-based connections only: no account key, no SAS, no connection string with a secret.
// FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE and the
// WEBSITE_CONTENT* settings are not allowed on Flex Consumption (runtime and deployment live in
// functionAppConfig; there is no content file share).
var platformSettings = [
  // Host storage: Functions host (leases, keys, blob-trigger receipts) and the Durable task hub
  // (Azure Storage backend: control/work-item queues, History/Instances tables, large-message blobs).
  { name: 'AzureWebJobsStorage__blobServiceUri', value: blobEndpoint }
  { name: 'AzureWebJobsStorage__queueServiceUri', value: queueEndpoint }
  { name: 'AzureWebJobsStorage__tableServiceUri', value: tableEndpoint }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  // Data connection of the EventGrid-source blob trigger and of the blob store (exposures,
  // outputs, quarantine); the blob trigger also needs the queue service (poison messages).
  { name: 'DataStorage__blobServiceUri', value: blobEndpoint }
  { name: 'DataStorage__queueServiceUri', value: queueEndpoint }
  { name: 'DataStorage__credential', value: 'managedidentity' }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }
]

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    publicNetworkAccess: 'Enabled'
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReadyDurableInstances > 0
          ? [
              {
                name: 'durable'
                instanceCount: alwaysReadyDurableInstances
              }
            ]
          : []
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: concat(platformSettings, imageReducerSettings)
    }
  }
}

// Basic (publishing-credential) auth off: deployments authenticate with Entra ID.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

@description('Function App name.')
output name string = app.name

@description('Resource id of the Function App.')
output id string = app.id

@description('Default host name of the app (HTTPS only).')
output defaultHostName string = app.properties.defaultHostName

@description('Object id of the app\'s system-assigned identity.')
output principalId string = app.identity.principalId
