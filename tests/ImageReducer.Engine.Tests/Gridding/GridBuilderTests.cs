using ImageReducer.Engine.Config;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.Gridding;

public sealed class GridBuilderTests
{
    private static readonly MapReduceConfig Defaults = new();
    private static readonly Box Square128 = new(0, 0, 128, 128);

    private static Box Span(int xMin, int xMax, int yMin, int yMax) => Box.FromMinMax(xMin, yMin, xMax, yMax);

    [Fact]
    public void Build_WorkedExample_GivesNineCellsInReferenceOrder()
    {
        // Spec §3: 128×128, FWHM 4.7038 (Gaussian sigma 2, adaptive moments) → cellSize 47, border 24.
        var grid = GridBuilder.Build(Square128, 4.7038, Defaults);

        (int, int)[] cellRanges = [(0, 46), (41, 87), (82, 127)];
        (int, int)[] expandedRanges = [(0, 70), (17, 111), (58, 127)];
        var expectedCells = new List<Box>();
        var expectedExpanded = new List<Box>();
        for (int i = 0; i < 3; i++)           // x outer
            for (int j = 0; j < 3; j++)       // y inner
            {
                expectedCells.Add(Span(cellRanges[i].Item1, cellRanges[i].Item2, cellRanges[j].Item1, cellRanges[j].Item2));
                expectedExpanded.Add(Span(expandedRanges[i].Item1, expandedRanges[i].Item2, expandedRanges[j].Item1, expandedRanges[j].Item2));
            }
        Assert.Equal(expectedCells, grid.Cells);
        Assert.Equal(expectedExpanded, grid.ExpandedCells);
        Assert.Equal(new GridSizes(47, 47, 47, 47, 24, 24), grid.Sizes);
        Assert.Equal(4.7038, grid.Fwhm);
    }

    [Fact]
    public void Build_ExposureWithGaussianPsf_MeasuresAdaptiveFwhmAndGivesTheWorkedExample()
    {
        // The whole chain of spec §3: PSF → adaptive moments → FWHM 4.7038 → 47 px cells, 24 px borders.
        using var exposure = new Exposure(Square128, new GaussianPsf(11, 11, 2.0));
        var grid = GridBuilder.Build(exposure, Defaults);
        Assert.Equal(9, grid.Count);
        Assert.Equal(new GridSizes(47, 47, 47, 47, 24, 24), grid.Sizes);
        Assert.Equal(4.7038, grid.Fwhm!.Value, 4);
        Assert.Equal(Span(82, 127, 82, 127), grid.Cells[8]);
        Assert.Equal(Span(58, 127, 58, 127), grid.ExpandedCells[8]);
    }

    [Fact]
    public void Build_WorkedExample_FirstThreePairsShareTheFirstColumn()
    {
        var grid = GridBuilder.Build(Square128, 4.7038, Defaults);
        Assert.Equal([Span(0, 46, 0, 46), Span(0, 46, 41, 87), Span(0, 46, 82, 127)], grid.Cells.Take(3));
    }

    [Fact]
    public void Build_NonZeroOrigin_ShiftsEveryBoxByTheOrigin()
    {
        var atZero = GridBuilder.Build(Square128, 4.7038, Defaults);
        var shifted = GridBuilder.Build(new Box(-30, 1000, 128, 128), 4.7038, Defaults);
        Assert.Equal(atZero.Cells.Select(b => b.Shift(-30, 1000)), shifted.Cells);
        Assert.Equal(atZero.ExpandedCells.Select(b => b.Shift(-30, 1000)), shifted.ExpandedCells);
    }

    [Theory]
    [InlineData(2.5, 3, 8)]   // 7.5 → 8 (even)
    [InlineData(2.5, 1, 2)]   // 2.5 → 2 (even), not 3
    [InlineData(1.5, 3, 4)]   // 4.5 → 4
    [InlineData(2.0, 1.75, 4)] // 3.5 → 4
    public void Build_ScaledSizeOnHalf_RoundsHalfToEven(double fwhm, double cellSize, int expected)
    {
        var config = Defaults with { CellSizeX = cellSize, CellSizeY = cellSize };
        var grid = GridBuilder.Build(Square128, fwhm, config);
        Assert.Equal(expected, grid.Sizes!.CellSizeX);
        Assert.Equal(expected, grid.Cells[0].Width);
    }

    [Fact]
    public void Build_SizeOption_UsesGridStepPlusOneAsCellSize()
    {
        var config = Defaults with { AdjustGridOption = AdjustGridOption.Size, ScaleByFwhm = false, GridStepX = 10, GridStepY = 10, BorderSizeX = 2, BorderSizeY = 2 };
        var grid = GridBuilder.Build(new Box(0, 0, 30, 10), null, config);
        // centres 5, 15, 25 in x; cells of 11 pixels starting at centre − 5: neighbours overlap by one pixel.
        Assert.Equal([Span(0, 10, 0, 9), Span(10, 20, 0, 9), Span(20, 29, 0, 9)], grid.Cells);
        Assert.Equal(11, grid.Sizes!.CellSizeX);
    }

    [Fact]
    public void Build_NoneOption_PlacesCellsEveryGridStep()
    {
        var config = Defaults with { AdjustGridOption = AdjustGridOption.None, ScaleByFwhm = false, CellSizeX = 6, CellSizeY = 40, GridStepX = 4, BorderSizeX = 1, BorderSizeY = 1 };
        var grid = GridBuilder.Build(new Box(0, 0, 10, 5), null, config);
        // centres 3, 7 (< 10 + 3), 11 (< 13): cells start at centre − 3.
        Assert.Equal([Span(0, 5, 0, 4), Span(4, 9, 0, 4), Span(8, 9, 0, 4)], grid.Cells);
    }

    [Fact]
    public void Build_Centroids_TruncatesRawSizesAndFloorsNegativeCentres()
    {
        var config = Defaults with
        {
            CellCentroidsX = [-0.5, 10.7],
            CellCentroidsY = [3, 3],
            CellSizeX = 5.9, CellSizeY = 5.9,   // → 5 pixels, not FWHM units
            BorderSizeX = 1.99, BorderSizeY = 1.99,
        };
        var grid = GridBuilder.Build(new Box(0, 0, 20, 20), fwhm: 100, config);
        // floor(-0.5) = -1; -1 - 5 // 2 = -3: box [-3, 1] clipped to [0, 1].
        Assert.Equal([Span(0, 1, 1, 5), Span(8, 12, 1, 5)], grid.Cells);
        Assert.Equal([Span(0, 2, 0, 6), Span(7, 13, 0, 6)], grid.ExpandedCells);
        Assert.Null(grid.Fwhm);
        Assert.Null(grid.Sizes);
    }

    [Fact]
    public void Build_Centroids_AreRelativeToTheExposureOrigin()
    {
        // The reference shifts a template cell placed at xy0: centroid 10 on an exposure at x = 1000 is column 1010.
        var config = Defaults with { CellCentroidsX = [10], CellCentroidsY = [10] };
        var grid = GridBuilder.Build(new Box(1000, 2000, 20, 20), null, config);
        Assert.Equal([Span(1005, 1014, 2005, 2014)], grid.Cells);
        Assert.Equal([Span(1000, 1019, 2000, 2019)], grid.ExpandedCells);
    }

    [Fact]
    public void Build_CentroidFarOutside_IsDroppedWithoutOverflow()
    {
        var config = Defaults with { CellCentroidsX = [1e300, 5, -1e300], CellCentroidsY = [5, 5, 5] };
        var grid = GridBuilder.Build(new Box(0, 0, 20, 20), null, config);
        Assert.Single(grid.Cells);
    }

    [Fact]
    public void Build_ForceEvenSized_GrowsRightThenLeft()
    {
        var config = Defaults with { CellCentroidsX = [2, 18], CellCentroidsY = [10, 10], CellSizeX = 5, CellSizeY = 6, BorderSizeX = 1, BorderSizeY = 1, ForceEvenSized = true };
        var grid = GridBuilder.Build(new Box(0, 0, 20, 20), null, config);
        // [0,4] grows right to [0,5]; [16,20] clips to [16,19], already even.
        Assert.Equal(Span(0, 5, 7, 12), grid.Cells[0]);
        Assert.Equal(Span(16, 19, 7, 12), grid.Cells[1]);
        // expanded [15,21] → [15,19] (5 wide): right is blocked, so it grows left to [14,19].
        Assert.Equal(Span(14, 19, 6, 13), grid.ExpandedCells[1]);
    }

    [Fact]
    public void Build_ForceEvenSizedOnOddExposure_ThrowsOddBox()
    {
        var config = Defaults with { ScaleByFwhm = false, CellSizeX = 50, CellSizeY = 50, ForceEvenSized = true };
        var e = Assert.Throws<OddBoxException>(() => GridBuilder.Build(new Box(0, 0, 21, 21), null, config));
        Assert.Equal(new Box(0, 0, 21, 21), e.Box);
        Assert.Contains("forceEvenSized", e.Message);
    }

    [Fact]
    public void Build_AreaOneCellsAreDropped()
    {
        // 1-pixel-high exposure, cells 1 pixel wide: every cell has area 1 and none is kept.
        var config = Defaults with { ScaleByFwhm = false, AdjustGridOption = AdjustGridOption.None, CellSizeX = 1, CellSizeY = 1, GridStepX = 1, GridStepY = 1, BorderSizeX = 0.4, BorderSizeY = 0.4 };
        var grid = GridBuilder.Build(new Box(0, 0, 3, 1), null, config);
        Assert.Empty(grid.Cells);
        Assert.Empty(grid.ExpandedCells);
    }

    [Theory]
    [InlineData(AdjustGridOption.Spacing, "cellSizeX")]
    [InlineData(AdjustGridOption.None, "cellSizeX")]
    public void Build_CellSizeRoundingToZero_ThrowsNamingTheField(AdjustGridOption option, string field)
    {
        var config = Defaults with { AdjustGridOption = option, CellSizeX = 0.1 };
        var e = Assert.Throws<ConfigValidationException>(() => GridBuilder.Build(Square128, 4.7038, config));
        Assert.Equal(field, e.Field);
        Assert.StartsWith("cellSizeX = 0.1 × FWHM 4.7038 rounds to 0 pixels", e.Message);
    }

    [Fact]
    public void Build_SizeOptionWithGridStepRoundingToZero_ThrowsNamingGridStep()
    {
        var config = Defaults with { AdjustGridOption = AdjustGridOption.Size, ScaleByFwhm = false, GridStepY = 0.5 };
        var e = Assert.Throws<ConfigValidationException>(() => GridBuilder.Build(Square128, null, config));
        Assert.Equal("gridStepY", e.Field);
    }

    [Fact]
    public void Build_SpacingIgnoresGridStep_EvenWhenItRoundsToZero()
    {
        var config = Defaults with { ScaleByFwhm = false, GridStepX = 0.2, CellSizeX = 64, CellSizeY = 64 };
        Assert.Equal(9, GridBuilder.Build(Square128, null, config).Count);
    }

    [Fact]
    public void Build_CentroidCellSizeTruncatingToZero_ThrowsNamingTheField()
    {
        var config = Defaults with { CellCentroidsX = [5], CellCentroidsY = [5], CellSizeY = 0.9 };
        var e = Assert.Throws<ConfigValidationException>(() => GridBuilder.Build(Square128, null, config));
        Assert.Equal("cellSizeY", e.Field);
    }

    [Fact]
    public void Build_MoreCellsThanTheLimit_ThrowsBeforeAllocating()
    {
        var config = Defaults with { ScaleByFwhm = false, CellSizeX = 1, CellSizeY = 1 };
        var e = Assert.Throws<GridTooLargeException>(() => GridBuilder.Build(new Box(0, 0, 1 << 20, 1 << 20), null, config));
        Assert.Equal((1L << 20) * (1L << 20) + 2 * (1L << 20) + 1, e.CellCount);  // (W // 1 + 1)² with spacing
        Assert.Equal(GridBuilder.DefaultMaxCells, e.MaxCells);
        Assert.Contains("cellSizeX", e.Message);
    }

    [Fact]
    public void Build_CustomLimit_IsHonoured()
    {
        Assert.Throws<GridTooLargeException>(() => GridBuilder.Build(Square128, 4.7038, Defaults, maxCells: 8));
        Assert.Equal(9, GridBuilder.Build(Square128, 4.7038, Defaults, maxCells: 9).Count);
    }

    [Fact]
    public void Build_HugeScaledSize_ThrowsNamingTheField()
    {
        var config = Defaults with { BorderSizeX = 1e12 };
        var e = Assert.Throws<ConfigValidationException>(() => GridBuilder.Build(Square128, 4.7038, config));
        Assert.Equal("borderSizeX", e.Field);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    [InlineData(double.PositiveInfinity)]
    public void Build_ScaledWithoutAUsableFwhm_ThrowsArgumentException(double? fwhm)
    {
        var e = Assert.Throws<ArgumentException>(() => GridBuilder.Build(Square128, fwhm, Defaults));
        Assert.Equal("fwhm", e.ParamName);
    }

    [Fact]
    public void Build_InvalidConfig_IsValidatedFirst()
    {
        var e = Assert.Throws<ConfigValidationException>(() => GridBuilder.Build(Square128, 4.7, Defaults with { CellSizeX = -3 }));
        Assert.Equal("cellSizeX must be > 0, got -3", e.Message);
    }

    [Fact]
    public void Build_EmptyBounds_GivesNoCells()
    {
        Assert.Empty(GridBuilder.Build(Box.Empty, 4.7038, Defaults).Cells);
    }

    [Fact]
    public void BuildFromExposure_MeasuresFwhmAtThePsfAveragePosition()
    {
        var psf = FixedShapePsf.WithFwhm(4.7038, new Point2D(12.5, -3));
        using var exposure = new Exposure(new Box(7, 9, 128, 128), psf);
        var grid = GridBuilder.Build(exposure, Defaults);
        Assert.Equal([new Point2D(12.5, -3)], psf.ShapeRequests);
        // sigma² round-trips through sqrt/pow: a few ulps from 4.7038, far from a rounding edge (47.038, 23.519).
        Assert.Equal(4.7038, grid.Fwhm!.Value, 1e-12);
        Assert.Equal(GridBuilder.Build(exposure.Box, 4.7038, Defaults).Cells, grid.Cells);
    }

    [Fact]
    public void BuildFromExposure_NoPsfWithScaling_ThrowsMissingPsf()
    {
        using var exposure = new Exposure(new Box(0, 0, 16, 16));
        var e = Assert.Throws<MissingPsfException>(() => GridBuilder.Build(exposure, Defaults));
        Assert.Contains("scaleByFwhm", e.Message);
        Assert.Contains("provide a PSF", e.Message);
    }

    [Fact]
    public void BuildFromExposure_NoPsfWithoutScaling_BuildsInPixels()
    {
        using var exposure = new Exposure(new Box(0, 0, 16, 16));
        var grid = GridBuilder.Build(exposure, Defaults with { ScaleByFwhm = false });
        Assert.Null(grid.Fwhm);
        Assert.Equal(Span(0, 9, 0, 9), grid.Cells[0]);
    }

    [Fact]
    public void BuildFromExposure_PsfWithoutScaling_StillMeasuresFwhmLikeTheReference()
    {
        var psf = FixedShapePsf.WithFwhm(3);
        using var exposure = new Exposure(new Box(0, 0, 16, 16), psf);
        var grid = GridBuilder.Build(exposure, Defaults with { ScaleByFwhm = false });
        Assert.Single(psf.ShapeRequests);
        Assert.Equal(10, grid.Sizes!.CellSizeX);  // pixels, not 10 × 3
    }

    [Fact]
    public void BuildFromExposure_Centroids_NeverTouchesThePsf()
    {
        var psf = FixedShapePsf.WithFwhm(3);
        using var exposure = new Exposure(new Box(0, 0, 16, 16), psf);
        var grid = GridBuilder.Build(exposure, Defaults with { CellCentroidsX = [8], CellCentroidsY = [8] });
        Assert.Empty(psf.ShapeRequests);
        Assert.Single(grid.Cells);
    }

    [Fact]
    public void BuildFromExposure_NaNFwhm_ThrowsInvalidPsf()
    {
        var psf = new FixedShapePsf(new PsfShape(double.NaN, 1, 0), default);
        using var exposure = new Exposure(new Box(0, 0, 16, 16), psf);
        var e = Assert.Throws<InvalidPsfException>(() => GridBuilder.Build(exposure, Defaults));
        Assert.Contains("fixedShape", e.Message);
    }
}
