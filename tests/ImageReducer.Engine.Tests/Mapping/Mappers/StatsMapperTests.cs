using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Mappers;
using ImageReducer.Engine.Mapping.Statistics;

namespace ImageReducer.Engine.Tests.Mapping.Mappers;

public sealed class StatsMapperTests
{
    private static CellStatistics Run(Exposure cell, StatsMapperOptions options) =>
        Assert.IsType<CellStatistics>(Assert.IsType<ValueResult>(
            new StatsMapper(options).Map(cell, cell, MappingTestExposures.Context(cell.Box))).Value);

    [Fact]
    public void Map_DefaultOptions_IgnoreBadSatNoDataCrButNotDetected()
    {
        using var exposure = MappingTestExposures.Filled(new Box(0, 0, 10, 1), (_, _) => 1);
        string[] planes = ["BAD", "SAT", "NO_DATA", "CR", "DETECTED"];
        for (int i = 0; i < planes.Length; i++) exposure.Mask.Pixels[i, 0] = 1 << exposure.Mask.Planes.GetBit(planes[i]);
        var s = Run(exposure, new StatsMapperOptions());
        Assert.Equal(6, s.ValidPixels);
    }

    [Fact]
    public void Map_EmptyIgnoredPlanes_CountsMaskedPixels()
    {
        using var exposure = MappingTestExposures.Filled(new Box(0, 0, 10, 1), (_, _) => 1);
        exposure.Mask.Pixels[0, 0] = 1 << exposure.Mask.Planes.GetBit("BAD");
        Assert.Equal(10, Run(exposure, new StatsMapperOptions { IgnoredMaskPlanes = [] }).ValidPixels);
    }

    [Fact]
    public void Map_Cell_ReportsCellBoxAndStatistics()
    {
        using var exposure = MappingTestExposures.Filled(new Box(0, 0, 8, 8), (x, y) => x + y);
        var cell = exposure.Sub(new Box(2, 3, 3, 3));
        var s = Run(cell, new StatsMapperOptions());
        Assert.Equal(cell.Box, s.Box);
        Assert.Equal(7.0, s.Mean); // x + y over x in 2..4, y in 3..5: mean 3 + 4
        Assert.Equal(7.0, s.Median);
        Assert.Equal(9, s.ValidPixels);
    }

    [Fact]
    public void Result_SerialisesWithCamelCaseNamesAndBoxArray()
    {
        using var exposure = MappingTestExposures.Filled(new Box(1, 2, 3, 1), (x, _) => x);
        string json = System.Text.Json.JsonSerializer.Serialize(Run(exposure, new StatsMapperOptions()), ImageReducer.Engine.Config.ConfigJson.Options);
        Assert.Contains("\"box\": [\n    1,", json.Replace("\r", ""));
        Assert.Contains("\"clippedMean\": 2", json);
        Assert.Contains("\"validPixels\": 3", json);
    }
}
