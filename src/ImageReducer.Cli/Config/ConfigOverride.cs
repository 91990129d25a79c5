using System.Text.Json;
using System.Text.Json.Nodes;
using ImageReducer.Cli.Errors;

namespace ImageReducer.Cli.Config;

/// <summary>One <c>--set KEY=VALUE</c>: a dotted key and a value that is JSON when it parses as JSON, else a string.</summary>
internal static class ConfigOverride
{
    /// <summary>Splits at the first <c>=</c> and parses the value.</summary>
    /// <exception cref="UsageException">No <c>=</c>, an empty key, or an empty segment in the key.</exception>
    public static (string Key, JsonNode? Value) Parse(string set)
    {
        int eq = set.IndexOf('=');
        if (eq <= 0) throw new UsageException($"--set {set}: expected KEY=VALUE (for example cellSizeX=20)");
        string key = set[..eq].Trim();
        if (key.Split('.').Any(string.IsNullOrWhiteSpace))
            throw new UsageException($"--set {set}: the key '{key}' has an empty segment");
        return (key, ParseValue(set[(eq + 1)..]));
    }

    /// <summary>JSON when <paramref name="text"/> is valid JSON (<c>5</c>, <c>true</c>, <c>[0,2.6]</c>, <c>"x"</c>, <c>null</c>), else the text itself as a string.</summary>
    public static JsonNode? ParseValue(string text)
    {
        // Most words (none, add, average) cannot be JSON: take them as strings without a parse that throws. A fresh
        // process's first exceptions cost milliseconds each, and a typical command line has several such words.
        if (!MayBeJson(text)) return JsonValue.Create(text);
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    /// <summary>
    /// False when <paramref name="text"/> cannot be a JSON value: its first character (after JSON whitespace) starts no
    /// value, or it is a bare word other than <c>true</c>, <c>false</c> and <c>null</c>.
    /// </summary>
    private static bool MayBeJson(string text)
    {
        ReadOnlySpan<char> value = text.AsSpan().Trim(" \t\r\n");
        if (value.IsEmpty) return true; // the parser's error, as before: an empty value is a string
        char first = value[0];
        if (first is '{' or '[' or '"' or '-' || char.IsAsciiDigit(first)) return true;
        return value is "true" or "false" or "null";
    }

    /// <summary>Sets <paramref name="key"/> (dotted) in <paramref name="root"/>, creating intermediate objects.</summary>
    /// <exception cref="UsageException">An intermediate segment holds a value that is not an object.</exception>
    public static void Apply(JsonObject root, string key, JsonNode? value, string set)
    {
        string[] path = key.Split('.');
        JsonObject current = root;
        for (int i = 0; i < path.Length - 1; i++)
        {
            JsonNode? next = current[path[i]];
            if (next is null)
            {
                var created = new JsonObject();
                current[path[i]] = created;
                current = created;
            }
            else
            {
                current = next as JsonObject ?? throw new UsageException(
                    $"--set {set}: '{string.Join('.', path[..(i + 1)])}' is not an object, so '{key}' cannot be set");
            }
        }
        current[path[^1]] = value;
    }
}
