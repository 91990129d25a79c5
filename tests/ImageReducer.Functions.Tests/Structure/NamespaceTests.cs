using System.Reflection;

namespace ImageReducer.Functions.Tests.Structure;

/// <summary>
/// No namespace is named like a type (the <c>Psf.Psf</c> / <c>Grid.Grid</c> trap: inside such a namespace the type's name
/// means the namespace, so callers write <c>global::</c> or alias it). Checked over every product assembly.
/// </summary>
public class NamespaceTests
{
    private static readonly Assembly[] Product =
    [
        typeof(Engine.Imaging.Exposure).Assembly,
        typeof(Workflow.Reduction.ReductionRequest).Assembly,
        typeof(Functions.Http.ProblemResponses).Assembly,
        typeof(Cli.ImredApp).Assembly,
    ];

    [Fact]
    public void NoNamespaceSegment_IsTheNameOfAProductType()
    {
        Type[] types = Product.SelectMany(a => a.GetTypes()).Where(t => !t.IsNested && t.Namespace?.StartsWith("ImageReducer", StringComparison.Ordinal) == true).ToArray();
        var segments = types.SelectMany(t => t.Namespace!.Split('.')).ToHashSet(StringComparer.Ordinal);

        string[] clashes = types.Select(t => t.Name.Split('`')[0]).Where(segments.Contains)
            .Select(name => $"{name}: a type and a namespace segment").Distinct().ToArray();

        Assert.True(types.Length > 100, $"only {types.Length} product types found");
        Assert.Empty(clashes);
    }
}
