using System.ComponentModel;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Tests.Mapping;

/// <summary>A plug-in mapper living outside the engine: returns Factor × the cell index.</summary>
[MapperName("testDouble", Description = "Test plug-in: factor times the cell index.")]
public sealed class TestDoubleMapper(TestDoubleOptions options) : IMapper
{
    public TestDoubleOptions Options { get; } = options;

    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context) => new ValueResult(Options.Factor * context.CellIndex);
}

/// <summary>Options of <see cref="TestDoubleMapper"/>.</summary>
public sealed record TestDoubleOptions : IMapperOptions
{
    [Description("Multiplier.")]
    public double Factor { get; init; } = 2;

    public void Validate()
    {
        if (Factor == 0) throw new ConfigValidationException("mapper.factor", "mapper.factor must not be 0");
    }
}
