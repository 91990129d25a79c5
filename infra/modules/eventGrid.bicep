metadata description = 'Event Grid system topic on the data account and a BlobCreated subscription, filtered to the exposure names (suffixes) in the incoming container, delivered to the blob trigger (Source = EventGrid) webhook of the Function App.'

@description('Azure region of the system topic (the storage account\'s region).')
param location string

@description('Tags applied to every resource.')
param tags {*: string}

@description('System topic name.')
param systemTopicName string

@description('Event subscription name.')
param subscriptionName string

@description('Name of the storage account whose events are published.')
param storageAccountName string

@description('Container whose BlobCreated events start reductions.')
param incomingContainerName string

@description('Name endings of exposures; only BlobCreated events for such blobs are delivered (the app applies the same list, ImageReducer__ExposureSuffixes).')
@minLength(1)
@maxLength(25)
param exposureSuffixes string[]

@description('Container that receives events Event Grid could not deliver.')
param deadLetterContainerName string

@description('Function App that hosts the blob trigger.')
param functionAppName string

@description('Name of the blob-trigger function (the [Function] name), e.g. ExposureUploaded.')
param blobTriggerFunctionName string

@description('Delivery attempts before an event is dead-lettered (Event Grid: 1 to 30).')
@minValue(1)
@maxValue(30)
param maxDeliveryAttempts int

@description('Minutes an undelivered event is retried before it is dead-lettered (Event Grid: 1 to 1440).')
@minValue(1)
@maxValue(1440)
param eventTimeToLiveInMinutes int

var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deadLetterContainer 'containers' existing = {
      name: deadLetterContainerName
    }
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

// Host keys of the app (Microsoft.Web/sites/host 'default'). The blobs extension creates its system
// key (blobs_extension) when the app first starts with a blob-triggered function in it: deploy this
// module after publishing the code. Bicep has no type definition for sites/host, hence listKeys()
// on the resource id instead of a symbolic resource.
var hostKeys = listKeys('${app.id}/host/default', '2025-03-01')

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: location
  tags: tags
  identity: {
    // Used only to write undeliverable events to the dead-letter container (no account key).
    type: 'SystemAssigned'
  }
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::deadLetterContainer.id, topic.id, storageBlobDataContributor)
  scope: storage::blobService::deadLetterContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource blobCreated 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: subscriptionName
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        // The blobs extension's webhook; functionName is Host.Functions.<function name>.
        endpointUrl: 'https://${app.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${blobTriggerFunctionName}&code=${hostKeys.systemKeys.blobs_extension}'
        // One exposure per delivery: each event starts its own orchestration.
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${incomingContainerName}/'
      isSubjectCaseSensitive: false
      // Only exposures: a sidecar or log uploaded beside them is no event for the app (string filters ignore case).
      advancedFilters: [
        {
          operatorType: 'StringEndsWith'
          key: 'subject'
          values: exposureSuffixes
        }
      ]
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: maxDeliveryAttempts
      eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storage.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
  // The topic identity must be able to write dead letters before the subscription is validated.
  dependsOn: [
    deadLetterWriter
  ]
}

@description('Resource id of the Event Grid system topic.')
output systemTopicId string = topic.id

@description('Name of the BlobCreated event subscription.')
output subscriptionName string = blobCreated.name
