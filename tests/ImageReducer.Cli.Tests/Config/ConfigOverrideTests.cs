using System.Text.Json;
using ImageReducer.Cli.Config;

namespace ImageReducer.Cli.Tests.Config;

public class ConfigOverrideTests
{
    [Theory]
    [InlineData("5", JsonValueKind.Number)]
    [InlineData(" -2.5e3 ", JsonValueKind.Number)]
    [InlineData("true", JsonValueKind.True)]
    [InlineData("\tfalse\n", JsonValueKind.False)]
    [InlineData("[0, 2.6]", JsonValueKind.Array)]
    [InlineData("{\"a\": 1}", JsonValueKind.Object)]
    [InlineData("\"quoted\"", JsonValueKind.String)]
    public void ParseValue_Json_IsParsedAsJson(string text, JsonValueKind kind)
    {
        Assert.Equal(kind, ConfigOverride.ParseValue(text)!.GetValueKind());
    }

    [Fact]
    public void ParseValue_Null_IsJsonNull()
    {
        Assert.Null(ConfigOverride.ParseValue("null"));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("average")]
    [InlineData("tru")]
    [InlineData("nulls")]
    [InlineData("1abc")]
    [InlineData("[1,")]
    [InlineData("NaN")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("/* c */ 5")]
    public void ParseValue_NotJson_IsTheTextAsAString(string text)
    {
        var value = ConfigOverride.ParseValue(text);
        Assert.Equal(JsonValueKind.String, value!.GetValueKind());
        Assert.Equal(text, value.GetValue<string>());
    }
}
