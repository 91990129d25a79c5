metadata description = 'Data-plane roles for the Function App identity (and optionally an operator) on the storage account and Application Insights.'

@description('Name of the storage account (host storage, task hub and data).')
param storageAccountName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Name of the Function App; with the role it names the role assignments.')
param functionAppName string

@description('Object id of the Function App system-assigned identity.')
param appPrincipalId string

@description('Object id of a user or group that uploads exposures and reads outputs with --auth-mode login; empty for none.')
param operatorPrincipalId string

@description('Principal type of operatorPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string

// Built-in role definition ids (same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Blob Data Owner (not Contributor): the Functions host and the blob trigger manage blob leases,
// receipts and containers; Queue/Table Data Contributor: the Durable Azure Storage backend.
var appStorageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Assignment names derive from the app name, not its principal id (known only at run time), so
// What-If can predict them. Deleting and recreating the app changes its principal id: delete
// the old assignments first (az role assignment delete --assignee <old id>), or redeploy fails
// with RoleAssignmentUpdateNotPermitted.
resource appStorageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in appStorageRoles: {
    name: guid(storage.id, functionAppName, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, functionAppName, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorBlobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(storage.id, operatorPrincipalId, roles.storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
  }
}
