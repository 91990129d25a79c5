using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Mappers;

namespace ImageReducer.Engine.Tests.Mapping;

public sealed class MapperRegistryTests
{
    private static MapperConfig Config(string json) => JsonSerializer.Deserialize<MapperConfig>(json, ConfigJson.Options)!;

    [Fact]
    public void Constructor_Default_ListsEveryBuiltIn()
    {
        var names = new MapperRegistry().Names;
        foreach (var expected in new[] { "add", "background", "identity", "mean", "psf", "stats" })
            Assert.Contains(expected, names);
        Assert.Equal(names.OrderBy(n => n, StringComparer.Ordinal), names);
    }

    [Fact]
    public void CreateEmpty_HasNoMapper()
    {
        Assert.Empty(MapperRegistry.CreateEmpty().Mappers);
    }

    [Theory]
    [InlineData("identity", typeof(IdentityMapper))]
    [InlineData("add", typeof(AddMapper))]
    [InlineData("mean", typeof(MeanMapper))]
    [InlineData("stats", typeof(StatsMapper))]
    [InlineData("background", typeof(BackgroundMapper))]
    [InlineData("psf", typeof(PsfMapper))]
    public void Create_BuiltInName_ReturnsThatMapper(string name, Type type)
    {
        Assert.IsType(type, new MapperRegistry().Create(new MapperConfig { Name = name }));
    }

    [Fact]
    public void Create_FromConfigJson_BindsCamelCaseOptions()
    {
        var config = ConfigJson.Deserialize("""{"mapper": {"name": "add", "addAmount": 2.5, "addNans": true}}""");
        var mapper = Assert.IsType<AddMapper>(new MapperRegistry().Create(config.Mapper));
        Assert.Equal(new AddMapperOptions { AddAmount = 2.5, AddNans = true }, mapper.Options);
    }

    [Fact]
    public void Create_ListAndEnumOptions_Bind()
    {
        var mapper = Assert.IsType<BackgroundMapper>(new MapperRegistry().Create(Config(
            """{"name": "background", "statistic": "clippedMean", "ignoredMaskPlanes": ["BAD", "EDGE"], "clipSigma": 2.5, "clipIterations": 5}""")));
        Assert.Equal(BackgroundStatistic.ClippedMean, mapper.Options.Statistic);
        Assert.Equal(["BAD", "EDGE"], mapper.Options.IgnoredMaskPlanes);
        Assert.Equal(2.5, mapper.Options.ClipSigma);
        Assert.Equal(5, mapper.Options.ClipIterations);
    }

    [Fact]
    public void Create_NoOptions_UsesReferenceDefaults()
    {
        var mapper = Assert.IsType<AddMapper>(new MapperRegistry().Create(new MapperConfig { Name = "add" }));
        Assert.Equal(10, mapper.Options.AddAmount);
        Assert.False(mapper.Options.AddNans);
    }

    [Fact]
    public void Create_UnknownName_ThrowsOnMapperNameListingKnownNames()
    {
        var e = Assert.Throws<ConfigValidationException>(() => new MapperRegistry().Create(new MapperConfig { Name = "addd" }));
        Assert.Equal("mapper.name", e.Field);
        Assert.Contains("'addd'", e.Message);
        Assert.Contains("add, background", e.Message);
        Assert.Contains("identity", e.Message);
    }

    [Fact]
    public void Create_NameInWrongCase_SuggestsRegisteredName()
    {
        var e = Assert.Throws<ConfigValidationException>(() => new MapperRegistry().Create(new MapperConfig { Name = "Add" }));
        Assert.Contains("did you mean 'add'", e.Message);
    }

    [Fact]
    public void Create_UnknownOption_ThrowsOnThatFieldListingKnownOptions()
    {
        var e = Assert.Throws<ConfigValidationException>(() => new MapperRegistry().Create(Config("""{"name": "add", "amount": 3}""")));
        Assert.Equal("mapper.amount", e.Field);
        Assert.Contains("'amount'", e.Message);
        Assert.Contains("known options: addAmount, addNans", e.Message);
    }

    [Fact]
    public void Create_OptionInPascalCase_SuggestsCamelCaseName()
    {
        var e = Assert.Throws<ConfigValidationException>(() => new MapperRegistry().Create(Config("""{"name": "add", "AddAmount": 3}""")));
        Assert.Equal("mapper.AddAmount", e.Field);
        Assert.Contains("did you mean 'addAmount'", e.Message);
    }

    [Fact]
    public void Create_OptionForMapperWithoutOptions_SaysItTakesNone()
    {
        var e = Assert.Throws<ConfigValidationException>(() => new MapperRegistry().Create(Config("""{"name": "mean", "addAmount": 3}""")));
        Assert.Equal("mapper.addAmount", e.Field);
        Assert.Contains("takes no options", e.Message);
    }

    [Theory]
    [InlineData("""{"name": "add", "addAmount": "ten"}""", "mapper.addAmount", "a number")]
    [InlineData("""{"name": "add", "addNans": 1}""", "mapper.addNans", "true or false")]
    [InlineData("""{"name": "stats", "clipIterations": 2.5}""", "mapper.clipIterations", "an integer")]
    [InlineData("""{"name": "stats", "ignoredMaskPlanes": "BAD"}""", "mapper.ignoredMaskPlanes", "an array")]
    [InlineData("""{"name": "stats", "ignoredMaskPlanes": null}""", "mapper.ignoredMaskPlanes", "got null")]
    [InlineData("""{"name": "add", "addAmount": null}""", "mapper.addAmount", "got null")]
    [InlineData("""{"name": "background", "statistic": "mode"}""", "mapper.statistic", "\"clippedMedian\", \"clippedMean\"")]
    public void Create_OptionOfWrongType_NamesOptionAndExpectedType(string json, string field, string expected)
    {
        var e = Assert.Throws<ConfigValidationException>(() => new MapperRegistry().Create(Config(json)));
        Assert.Equal(field, e.Field);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("""{"name": "stats", "clipSigma": -1}""", "mapper.clipSigma")]
    [InlineData("""{"name": "background", "clipIterations": 0}""", "mapper.clipIterations")]
    [InlineData("""{"name": "stats", "ignoredMaskPlanes": ["BAD", ""]}""", "mapper.ignoredMaskPlanes[1]")]
    [InlineData("""{"name": "add", "addAmount": "NaN"}""", "mapper.addAmount")]
    public void Create_InvalidOptionValue_ValidationNamesField(string json, string field)
    {
        var e = Assert.Throws<ConfigValidationException>(() => new MapperRegistry().Create(Config(json)));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void BindOptions_ReturnsValidatedTypedOptions()
    {
        var options = new MapperRegistry().BindOptions(Config("""{"name": "stats", "clipSigma": 4}"""));
        Assert.Equal(new StatsMapperOptions { ClipSigma = 4 }, options);
    }

    [Fact]
    public void BuiltIns_OptionsDescribedOnFirstUse_MatchAnEagerRegistration()
    {
        // The default registry describes its mappers' options lazily (start-up cost); a plug-in style
        // registration of the same assembly describes them at once: every option must come out the same.
        var lazily = new MapperRegistry().Mappers;
        var eagerly = MapperRegistry.CreateEmpty().Register(typeof(MapperRegistry).Assembly);
        Assert.Equal(eagerly.Select(d => d.Name), lazily.Select(d => d.Name));
        foreach (var (l, e) in lazily.Zip(eagerly))
            Assert.Equal(e.Options, l.Options);
        Assert.Contains(lazily, d => d.Options.Count > 0);
    }

    [Fact]
    public void Mappers_DescribeOptionsWithDefaultsAndDescriptions()
    {
        var add = new MapperRegistry().Get("add");
        Assert.Equal(typeof(AddMapperOptions), add.OptionsType);
        Assert.NotEmpty(add.Description);
        Assert.Collection(add.Options,
            o => { Assert.Equal("addAmount", o.Name); Assert.Equal("10", o.DefaultJson); Assert.Equal("a number", o.ExpectedType); Assert.NotEmpty(o.Description); },
            o => { Assert.Equal("addNans", o.Name); Assert.Equal("false", o.DefaultJson); });
        var planes = new MapperRegistry().Get("stats").Options.Single(o => o.Name == "ignoredMaskPlanes");
        Assert.Equal("""["BAD","SAT","NO_DATA","CR"]""", planes.DefaultJson);
        Assert.Empty(new MapperRegistry().Get("identity").Options);
    }

    [Fact]
    public void Register_TestAssembly_DiscoversPlugInMapper()
    {
        var registry = MapperRegistry.CreateEmpty();
        var added = registry.Register(typeof(TestDoubleMapper).Assembly);
        Assert.Equal(["testDouble"], added.Select(d => d.Name));
        var mapper = registry.Create(Config("""{"name": "testDouble", "factor": 3}"""));
        var result = Assert.IsType<ValueResult>(mapper.Map(null!, null!, MappingTestExposures.Context(new Box(0, 0, 4, 4), cellIndex: 5)));
        Assert.Equal(15.0, result.Value);
    }

    [Fact]
    public void Register_PlugInOptionsValidation_IsCalled()
    {
        var registry = MapperRegistry.CreateEmpty();
        registry.Register(typeof(TestDoubleMapper));
        var e = Assert.Throws<ConfigValidationException>(() => registry.Create(Config("""{"name": "testDouble", "factor": 0}""")));
        Assert.Equal("mapper.factor", e.Field);
    }

    [Fact]
    public void LoadFrom_AssemblyPath_RegistersItsMappersNextToBuiltIns()
    {
        var registry = new MapperRegistry();
        registry.LoadFrom(typeof(TestDoubleMapper).Assembly.Location);
        Assert.Contains("testDouble", registry.Names);
        Assert.Contains("add", registry.Names);
    }

    [Fact]
    public void LoadFrom_MissingFile_ThrowsNamingThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-plugin-" + Guid.NewGuid() + ".dll");
        var e = Assert.Throws<MapperRegistrationException>(() => new MapperRegistry().LoadFrom(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void LoadFrom_NotAnAssembly_ThrowsRegistrationError()
    {
        string path = Path.Combine(Path.GetTempPath(), "not-a-plugin-" + Guid.NewGuid() + ".dll");
        File.WriteAllText(path, "not a PE file");
        try
        {
            var e = Assert.Throws<MapperRegistrationException>(() => new MapperRegistry().LoadFrom(path));
            Assert.Contains("Cannot load", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Register_DuplicateFactoryName_Throws()
    {
        var registry = new MapperRegistry();
        var e = Assert.Throws<MapperRegistrationException>(() => registry.Register("add", _ => new IdentityMapper()));
        Assert.Contains("'add'", e.Message);
    }

    [Fact]
    public void Register_EngineAssemblyTwice_ThrowsAndAddsNothing()
    {
        var registry = new MapperRegistry();
        int before = registry.Mappers.Count;
        Assert.Throws<MapperRegistrationException>(() => registry.Register(typeof(MapperRegistry).Assembly));
        Assert.Equal(before, registry.Mappers.Count);
    }

    [Fact]
    public void Register_TypedFactory_BindsItsOptions()
    {
        var registry = MapperRegistry.CreateEmpty();
        registry.Register<AddMapperOptions>("plus", o => new AddMapper(o), "adds");
        var mapper = Assert.IsType<AddMapper>(registry.Create(Config("""{"name": "plus", "addAmount": 7}""")));
        Assert.Equal(7, mapper.Options.AddAmount);
        Assert.Equal("adds", registry.Get("plus").Description);
    }

    [Fact]
    public void Register_FactoryWithNonOptionsType_Throws()
    {
        Assert.Throws<MapperRegistrationException>(() => MapperRegistry.CreateEmpty().Register("x", _ => new IdentityMapper(), typeof(string)));
    }

    [Fact]
    public void Register_NameWithWhitespace_Throws()
    {
        Assert.Throws<MapperRegistrationException>(() => MapperRegistry.CreateEmpty().Register("my mapper", _ => new IdentityMapper()));
    }

    [Fact]
    public void Register_TypeWithoutUsableConstructor_ExplainsWhatIsNeeded()
    {
        var e = Assert.Throws<MapperRegistrationException>(() => MapperRegistry.CreateEmpty().Register(typeof(NoUsableConstructorMapper)));
        Assert.Contains("parameterless constructor", e.Message);
    }

    [Fact]
    public void Register_TypeWithoutAttribute_Throws()
    {
        var e = Assert.Throws<MapperRegistrationException>(() => MapperRegistry.CreateEmpty().Register(typeof(UnnamedMapper)));
        Assert.Contains(nameof(MapperNameAttribute), e.Message);
    }

    [Fact]
    public void Create_ConstructorThrows_SurfacesTheOriginalException()
    {
        var registry = MapperRegistry.CreateEmpty();
        registry.Register(typeof(ThrowingMapper));
        var e = Assert.Throws<InvalidOperationException>(() => registry.Create(new MapperConfig { Name = "throwing" }));
        Assert.Equal("from the constructor", e.Message);
    }

    [Fact]
    public void Registry_ConcurrentRegistrationAndReads_LosesNothing()
    {
        var registry = new MapperRegistry();
        int builtIns = registry.Mappers.Count;
        Parallel.For(0, 200, i =>
        {
            registry.Register($"m{i}", _ => new IdentityMapper());
            Assert.IsType<AddMapper>(registry.Create(new MapperConfig { Name = "add" }));
            Assert.True(registry.TryGet($"m{i}", out _));
        });
        Assert.Equal(builtIns + 200, registry.Mappers.Count);
    }

    [MapperName("noCtor")]
    private sealed class NoUsableConstructorMapper(int value) : IMapper
    {
        public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context) => new ValueResult(value);
    }

    private sealed class UnnamedMapper : IMapper
    {
        public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context) => new ValueResult(null);
    }

    [MapperName("throwing")]
    private sealed class ThrowingMapper : IMapper
    {
        public ThrowingMapper() => throw new InvalidOperationException("from the constructor");
        public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context) => new ValueResult(null);
    }
}
