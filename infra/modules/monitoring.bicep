metadata description = 'Log Analytics workspace and workspace-based Application Insights; telemetry ingestion requires Entra ID (local auth off).'

@description('Log Analytics workspace name.')
param workspaceName string

@description('Application Insights component name.')
param appInsightsName string

@description('Azure region of both resources.')
param location string

@description('Tags applied to every resource.')
param tags {*: string}

@description('Days the workspace keeps logs.')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Daily ingestion cap in GB for the workspace (-1 = no cap).')
param dailyQuotaGb int

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    workspaceCapping: {
      dailyQuotaGb: dailyQuotaGb
    }
    features: {
      disableLocalAuth: true
      enableLogAccessUsingOnlyResourcePermissions: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Ingestion only with an Entra ID token (the app sends APPLICATIONINSIGHTS_AUTHENTICATION_STRING
    // and holds Monitoring Metrics Publisher); the instrumentation key alone cannot write.
    DisableLocalAuth: true
    IngestionMode: 'LogAnalytics'
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

@description('Resource id of the Application Insights component.')
output appInsightsId string = appInsights.id

@description('Application Insights connection string (an endpoint locator, not a secret: ingestion needs Entra ID).')
output appInsightsConnectionString string = appInsights.properties.ConnectionString

@description('Resource id of the Log Analytics workspace.')
output workspaceId string = workspace.id
