namespace ImageReducer.Cli.Tests.Infrastructure;

/// <summary>The tests that share one <see cref="DemoFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<DemoFixture>
{
    public const string Name = "demo";
}
