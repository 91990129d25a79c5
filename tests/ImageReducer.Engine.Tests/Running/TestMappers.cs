using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>Built-in mappers as a configuration creates them (<see cref="MapperRegistry"/>), for the run tests.</summary>
internal static class TestMappers
{
    /// <summary>The built-in mapper <paramref name="name"/>; for <c>add</c>, with <paramref name="addAmount"/> and <paramref name="addNans"/>.</summary>
    public static IMapper BuiltIn(string name, double addAmount = 1.5, bool addNans = false)
    {
        var config = new MapperConfig { Name = name };
        if (name == "add")
        {
            config.Options["addAmount"] = JsonSerializer.SerializeToElement(addAmount);
            config.Options["addNans"] = JsonSerializer.SerializeToElement(addNans);
        }
        return new MapperRegistry().Create(config);
    }
}
