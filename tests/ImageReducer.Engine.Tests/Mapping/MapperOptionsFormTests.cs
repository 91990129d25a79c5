using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Tests.Mapping;

/// <summary>
/// The built-in mappers' options bound by their field tables (<see cref="MapperOptionsForm"/>) against the reflection binding
/// plug-ins keep: every option in the table, the same options bound, the same errors with the same fields and messages.
/// </summary>
public sealed class MapperOptionsFormTests
{
    private static readonly MapperRegistry Registry = new();

    private static IEnumerable<MapperDescriptor> BuiltInsWithOptions() => Registry.Mappers.Where(d => d.OptionsType is not null);

    [Fact]
    public void EveryBuiltInOptionsRecord_HasAForm_NamingEveryOptionInOrder()
    {
        Assert.NotEmpty(BuiltInsWithOptions());
        foreach (MapperDescriptor d in BuiltInsWithOptions())
        {
            MapperOptionsForm? form = d.OptionsForm;
            Assert.True(form is not null, $"{d.OptionsType!.Name} declares no JsonForm");
            Assert.Equal(d.OptionsType, form!.OptionsType);
            Assert.Equal(d.Options.Select(o => o.Name), form.Names);
        }
    }

    [Fact]
    public void DescribeByForm_GivesWhatTheReflectionContractGives()
    {
        foreach (MapperDescriptor d in BuiltInsWithOptions())
        {
            IReadOnlyList<MapperOptionInfo> byContract = MapperOptionsBinder.DescribeByContract(d.OptionsType!);
            IReadOnlyList<MapperOptionInfo> byForm = d.OptionsForm!.Describe();
            Assert.True(byContract.Count > 0, d.Name);
            Assert.Equal(byContract, byForm);
            Assert.Equal(byContract, d.Options); // what messages and help quote
        }
    }

    [Fact]
    public void PlugInOptions_HaveNoForm_AndKeepReflection()
    {
        var registry = MapperRegistry.CreateEmpty();
        Assert.Null(registry.Register(typeof(TestDoubleMapper)).OptionsForm);
    }

    public static TheoryData<string, string> Cases() => new()
    {
        { "add", """{}""" },
        { "add", """{"addAmount": 2.5, "addNans": true}""" },
        { "add", """{"addAmount": -1e300}""" },
        { "add", """{"addAmount": "NaN"}""" },
        { "add", """{"addAmount": "10"}""" },
        { "add", """{"addAmount": null}""" },
        { "add", """{"addNans": 1}""" },
        { "add", """{"amount": 1}""" },
        { "add", """{"AddAmount": 1}""" },
        { "stats", """{"ignoredMaskPlanes": ["BAD", "EDGE"], "clipSigma": 2, "clipIterations": 5}""" },
        { "stats", """{"ignoredMaskPlanes": null}""" },
        { "stats", """{"ignoredMaskPlanes": "BAD"}""" },
        { "stats", """{"ignoredMaskPlanes": ["BAD", 3]}""" },
        { "stats", """{"ignoredMaskPlanes": ["BAD", null]}""" },
        { "stats", """{"ignoredMaskPlanes": ["BAD", ""]}""" },
        { "stats", """{"clipIterations": 2.5}""" },
        { "stats", """{"clipIterations": 3000000000}""" },
        { "stats", """{"clipSigma": -1}""" },
        { "background", """{"statistic": "clippedMean", "order": 1, "clipIterations": 2}""" },
        { "background", """{"statistic": "mode"}""" },
        { "background", """{"statistic": "ClippedMean"}""" },
        { "background", """{"statistic": null}""" },
        { "background", """{"order": 2}""" },
        { "convolve", """{"sigma": 1.5}""" },
        { "convolve", """{"targetFwhm": 6.5, "method": "fft", "truncate": 3}""" },
        { "convolve", """{"sigma": null, "targetSigma": 2}""" },
        { "convolve", """{"sigma": true}""" },
        { "convolve", """{"method": "slow", "sigma": 1}""" },
        { "convolve", """{}""" },
        { "decorrelateAL", """{"ignoreMaskPlanes": ["BAD"], "completeVarPlanePropagation": true, "templateMatched": false}""" },
        { "decorrelateAL", """{"templateMatched": "yes"}""" },
        { "zogy", """{"doScorr": true, "templateFluxScaling": 2, "scienceFluxScaling": 0.5, "doFilterPsfs": false, "ignoreMaskPlanes": []}""" },
        { "zogy", """{"templateFluxScaling": 0}""" },
        { "zogy", """{"doFilterPsfs": null}""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BindByForm_GivesWhatReflectionGives(string mapper, string optionsJson)
    {
        MapperDescriptor d = Registry.Get(mapper);
        Assert.NotNull(d.OptionsForm);
        var values = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(optionsJson)!;

        var (expected, expectedError) = Outcome(() => MapperOptionsBinder.BindByReflection(d, values));
        var (actual, actualError) = Outcome(() => MapperOptionsBinder.Bind(d, values));

        Assert.Equal(expectedError?.Field, actualError?.Field);
        Assert.Equal(expectedError?.Message, actualError?.Message);
        Assert.Equal(expected, actual);
    }

    private static (IMapperOptions? Options, ConfigValidationException? Error) Outcome(Func<IMapperOptions?> bind)
    {
        try
        {
            return (bind(), null);
        }
        catch (ConfigValidationException e)
        {
            return (null, e);
        }
    }
}
