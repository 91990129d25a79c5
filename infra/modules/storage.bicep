metadata description = 'Data and host storage for ImageReducer: exposure containers, the Flex deployment container and the Durable task hub (queues, tables, blobs created at run time).'

@description('Storage account name (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the account.')
param location string

@description('Tags applied to every resource.')
param tags {*: string}

@description('Replication SKU of the account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
])
param skuName string

@description('Container that receives raw exposures (FITS); its BlobCreated events start reductions.')
param incomingContainerName string

@description('Container that receives reduced outputs.')
param outputContainerName string

@description('Container that receives copies of corrupt or rejected inputs.')
param quarantineContainerName string

@description('Container that receives Event Grid events that could not be delivered.')
param deadLetterContainerName string

@description('Container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Days a deleted blob or container stays recoverable (soft delete).')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int

@description('Days after its last change that a blob under <output container>/.work/ (a run\'s intermediates) or .starts/ (a start marker) is deleted.')
@minValue(1)
@maxValue(365)
param workBlobRetentionDays int

@description('Days after its last change that a blob of the quarantine container is deleted; 0 keeps quarantined inputs forever.')
@minValue(0)
@maxValue(3650)
param quarantineRetentionDays int

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    // Every client (the app, Durable, Event Grid dead-lettering, operators) authenticates with
    // Microsoft Entra ID. Shared keys and SAS are off: Flex Consumption needs no Azure Files
    // content share (other Functions plans do, and would need allowSharedKeyAccess: true).
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      // Public endpoint with Entra ID auth only; Event Grid and the Flex app reach the account
      // without a virtual network. Restricting this needs VNet integration on the app.
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: false
      services: {
        blob: {
          enabled: true
          keyType: 'Account'
        }
        file: {
          enabled: true
          keyType: 'Account'
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
        table: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
  }
}

// Runs delete their own intermediates when they end, failed or not (docs/functions.md, "Concurrent runs"); a run
// whose worker died leaves them, and no later run can use them (they carry its run id). The lifecycle rule removes
// them, and ages the quarantine. The service evaluates rules about once a day.
var workRule = {
  name: 'delete-stale-work-blobs'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: {
      blobTypes: [
        'blockBlob'
      ]
      prefixMatch: [
        '${outputContainerName}/.work/'
        '${outputContainerName}/.starts/'
      ]
    }
    actions: {
      baseBlob: {
        delete: {
          daysAfterModificationGreaterThan: workBlobRetentionDays
        }
      }
    }
  }
}

var quarantineRule = {
  name: 'age-quarantine'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: {
      blobTypes: [
        'blockBlob'
      ]
      prefixMatch: [
        '${quarantineContainerName}/'
      ]
    }
    actions: {
      baseBlob: {
        delete: {
          daysAfterModificationGreaterThan: quarantineRetentionDays
        }
      }
    }
  }
}

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: quarantineRetentionDays > 0 ? [workRule, quarantineRule] : [workRule]
    }
  }
}

var containerNames = [
  incomingContainerName
  outputContainerName
  quarantineContainerName
  deadLetterContainerName
  deploymentContainerName
]

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for containerName in containerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

@description('Resource id of the storage account.')
output id string = account.id

@description('Name of the storage account.')
output name string = account.name

@description('Blob service endpoint, e.g. https://<account>.blob.<suffix>/.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Queue service endpoint.')
output queueEndpoint string = account.properties.primaryEndpoints.queue

@description('Table service endpoint.')
output tableEndpoint string = account.properties.primaryEndpoints.table
