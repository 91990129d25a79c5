using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>
/// <see cref="ICellLocalMapper"/>: a mapper that reads only its cell is mapped from the exposure and the cell's box
/// wherever the run does not hand the cells' views back, with the same bytes as through <see cref="IMapper.Map"/> on the
/// cell's view; a run that hands them back, and a mapper with auxiliary inputs, go through <see cref="IMapper.Map"/>.
/// </summary>
public class CellLocalMapperTests
{
    private static MapReduceRunner Runner(IMapper mapper, ReduceOperation op, int workers = 1)
        => new(mapper, CellOrderReference.Op(op), new EngineOptions { MaxDegreeOfParallelism = workers });

    public static TheoryData<string, bool> BuiltIns => new() { { "add", false }, { "add", true }, { "identity", false } };

    private static IMapper BuiltIn(string name, bool addNans) => TestMappers.BuiltIn(name, addAmount: 2.25, addNans: addNans);

    [Theory]
    [MemberData(nameof(BuiltIns))]
    public void MapBox_GivesTheBytesMapGivesForTheCellsView(string name, bool addNans)
    {
        var mapper = Assert.IsAssignableFrom<ICellLocalMapper>(BuiltIn(name, addNans));
        using var input = TestExposures.Noise(53, 41, seed: 9, x0: -4, y0: 7);
        var context = new MapContext(0, input.Box, new EngineOptions());
        foreach (Box box in new[] { new Box(-4, 7, 53, 41), new Box(3, 10, 17, 9), new Box(48, 47, 1, 1), new Box(-4, 30, 5, 18) })
        {
            using Exposure viaMap = Assert.IsType<ExposureResult>(mapper.Map(input.Sub(box), input.Sub(box), context)).SubExposure;
            using Exposure viaBox = Assert.IsType<ExposureResult>(mapper.MapBox(input, box)).SubExposure;

            Assert.Equal(box, viaBox.Box);
            Assert.Equal(TestExposures.PlaneBytes(viaMap), TestExposures.PlaneBytes(viaBox));
            Assert.Same(input.Psf, viaBox.Psf);
            Assert.Same(input.Mask.Planes, viaBox.Mask.Planes);
        }
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("stats")]
    public void ValueMappers_MapBox_GivesTheValueMapGivesForTheCellsView(string name)
    {
        var mapper = Assert.IsAssignableFrom<ICellLocalMapper>(TestMappers.BuiltIn(name));
        using var input = TestExposures.Noise(53, 41, seed: 9, x0: -4, y0: 7);
        input.Image[0, 10] = float.NaN;
        var context = new MapContext(0, input.Box, new EngineOptions());
        foreach (Box box in new[] { new Box(-4, 7, 53, 41), new Box(-2, 9, 17, 9), new Box(48, 47, 1, 1) })
        {
            object? viaMap = Assert.IsType<ValueResult>(mapper.Map(input.Sub(box), input.Sub(box), context)).Value;
            object? viaBox = Assert.IsType<ValueResult>(mapper.MapBox(input, box)).Value;

            Assert.NotNull(viaBox);
            Assert.Equal(viaMap, viaBox); // a record (stats) or a double (mean): equal values, NaN included
        }
    }

    [Fact]
    public void MapBox_BoxOutsideTheExposure_IsRefusedNamingBoth()
    {
        var mapper = Assert.IsAssignableFrom<ICellLocalMapper>(BuiltIn("add", false));
        using var input = TestExposures.Noise(20, 20, seed: 1);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => mapper.MapBox(input, new Box(15, 15, 10, 2)));

        Assert.Contains("[15,15]..[24,16]", e.Message);
        Assert.Contains("[0,0]..[19,19]", e.Message);
        Assert.Equal("box", e.ParamName);
    }

    [Theory]
    [InlineData("average", 1)]
    [InlineData("sum", 2)]
    [InlineData("copy", 3)]
    public void StitchingRun_MapsEveryCellFromTheExposureAndItsBox_SameBytesAsTheCellOrderReference(string opName, int workers)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var input = TestExposures.Noise(130, 97, seed: 4, x0: 2, y0: -3);
        var grid = TestGrids.Regular(input.Box, 21, 20, 4);
        var mapper = new CountingMapper();

        var actual = Runner(mapper, op, workers).Run(input, grid).Reduced;
        using var a = actual.Exposure!;

        Assert.Equal(grid.Count, mapper.BoxCalls);
        Assert.Equal(0, mapper.MapCalls);
        var expected = CellOrderReference.Fold(input, grid, new CountingMapper(), op); // maps through Map
        using var e = expected.Exposure!;
        CellOrderReference.AssertSame(expected, actual);
    }

    [Fact]
    public void RunThatHandsTheCellsViewsBack_MapsThroughMap()
    {
        using var input = TestExposures.Noise(60, 60, seed: 4);
        var grid = TestGrids.Regular(input.Box, 21, 20, 4);
        var mapper = new CountingMapper();

        var kept = Runner(mapper, ReduceOperation.Average).Run(input, grid, returnSubImages: true);
        using var output = kept.Reduced.Exposure!;

        Assert.Equal((grid.Count, 0), (mapper.MapCalls, mapper.BoxCalls));
        Assert.All(kept.Cells!, c => Assert.Equal(grid.Cells[c.CellIndex], c.InputSubExposure.Box));
    }

    [Fact]
    public void ListingRun_MapsThroughMapBox_SameResultsAsMap()
    {
        using var input = TestExposures.Noise(60, 61, seed: 4, x0: 1, y0: 2);
        var grid = TestGrids.Regular(input.Box, 21, 20, 4);
        var mapper = new CountingMapper();

        IReadOnlyList<MapResult> listed = Runner(mapper, ReduceOperation.Parse("none"), 2).Run(input, grid).Reduced.Results!;
        var viaMap = new MapReduceRunner(new CountingMapper(), CellOrderReference.Op(ReduceOperation.Average)).MapAll(input, grid); // MapAll maps through Map

        Assert.Equal((0, grid.Count), (mapper.MapCalls, mapper.BoxCalls));
        Assert.Equal(viaMap.Select(r => TestExposures.PlaneBytes(((ExposureResult)r).SubExposure)),
            listed.Select(r => TestExposures.PlaneBytes(((ExposureResult)r).SubExposure)));
    }

    [Fact]
    public void RunPart_MapsThroughMapBox_SameRowsAsTheWholeRun()
    {
        using var input = TestExposures.Noise(64, 70, seed: 6, x0: -3, y0: 5);
        var grid = TestGrids.Regular(input.Box, 13, 12, 3);
        var reference = CellOrderReference.Fold(input, grid, new CountingMapper(), ReduceOperation.Sum); // sum: a result on another box would change the sums
        using var whole = reference.Exposure!;
        Box band = Box.FromMinMax(input.Box.MinX, 20, input.Box.MaxX, 44);
        var (cells, pieceBox) = TestGrids.PartFor(grid, band);
        using Exposure piece = input.Sub(pieceBox).Clone();
        var mapper = new CountingMapper();

        using Exposure built = Runner(mapper, ReduceOperation.Sum).RunPart(piece, grid, new GridPart(cells, input.Box, band)).Reduced.Exposure!;

        Assert.Equal((0, cells.Length), (mapper.MapCalls, mapper.BoxCalls));
        Assert.Equal(TestExposures.PlaneBytes(whole.Sub(band).Clone()), TestExposures.PlaneBytes(built));
    }

    [Fact]
    public void CellLocalMapperWithAuxiliaryInputs_IsMappedThroughMap_AndSeesItsAuxiliaryCell()
    {
        using var input = TestExposures.Noise(40, 40, seed: 4);
        var grid = TestGrids.Regular(input.Box, 10, 10, 2);
        using var aux = new AuxiliaryData(new Dictionary<string, Exposure> { ["template"] = TestExposures.Noise(40, 40, seed: 5) }, null);
        var mapper = new CountingMapper(withTemplate: true);

        using var output = Runner(mapper, ReduceOperation.Average).Run(input, grid, auxiliary: aux).Reduced.Exposure!;

        Assert.Equal((grid.Count, 0), (mapper.MapCalls, mapper.BoxCalls));
        Assert.Equal(TestExposures.PlaneBytes(input), TestExposures.PlaneBytes(output)); // the cells tile the input: average reproduces it
    }

    /// <summary>Returns a copy of the cell (identity), counting the calls through each entry point.</summary>
    private sealed class CountingMapper(bool withTemplate = false) : ICellLocalMapper
    {
        private int mapCalls, boxCalls;

        public int MapCalls => Volatile.Read(ref mapCalls);

        public int BoxCalls => Volatile.Read(ref boxCalls);

        public IReadOnlyList<AuxiliaryInput> AuxiliaryInputs { get; } =
            withTemplate ? [new("template", AuxiliaryKind.Exposure, "test")] : [];

        public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
        {
            Interlocked.Increment(ref mapCalls);
            if (withTemplate) Assert.Equal(expandedCell.Box, context.Auxiliary.Exposure("template").Box);
            return new ExposureResult(cell.Clone());
        }

        public MapResult MapBox(Exposure exposure, Box box)
        {
            Interlocked.Increment(ref boxCalls);
            return new ExposureResult(exposure.Sub(box).Clone());
        }
    }
}
