using System.Buffers;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ImageReducer.Engine.Config;

namespace ImageReducer.Engine.Mapping;

/// <summary>
/// Binds the flat JSON options of a <see cref="MapperConfig"/> to a mapper's typed options record
/// and describes an options type for help output.
/// </summary>
/// <remarks>
/// Each option is checked on its own first, so an error names exactly one field
/// (<c>mapper.addAmount</c>) and says what was expected; only then is the whole record
/// deserialised and validated.
/// </remarks>
internal static class MapperOptionsBinder
{
    /// <summary>The config's JSON conventions (camelCase, enums as camelCase strings), compact, and strict about nulls.</summary>
    internal static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var o = new JsonSerializerOptions(ConfigJson.Options)
        {
            WriteIndented = false,
            RespectNullableAnnotations = true,
        };
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    /// <summary>The options of <paramref name="optionsType"/>: by its field table for the engine's own records (<see cref="MapperOptionsForm.Describe"/>), else <see cref="DescribeByContract"/>.</summary>
    /// <exception cref="MapperRegistrationException">The type cannot be (de)serialised as a JSON object.</exception>
    internal static IReadOnlyList<MapperOptionInfo> Describe(Type optionsType) =>
        MapperOptionsForm.Find(optionsType) is { } form ? form.Describe() : DescribeByContract(optionsType);

    /// <summary>The options of <paramref name="optionsType"/> from System.Text.Json's reflection contract, with defaults taken from an empty JSON object.</summary>
    /// <exception cref="MapperRegistrationException">The type cannot be (de)serialised as a JSON object.</exception>
    internal static IReadOnlyList<MapperOptionInfo> DescribeByContract(Type optionsType)
    {
        JsonTypeInfo info;
        try
        {
            info = JsonOptions.GetTypeInfo(optionsType);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new MapperRegistrationException($"Options type {optionsType.FullName} cannot be bound from JSON: {e.Message}", e);
        }
        if (info.Kind != JsonTypeInfoKind.Object)
            throw new MapperRegistrationException($"Options type {optionsType.FullName} must be a record or class with properties (a JSON object), not {info.Kind}.");

        object? defaults = null;
        try
        {
            defaults = JsonSerializer.Deserialize("{}", optionsType, JsonOptions);
        }
        catch (JsonException)
        {
            // Required members: those options have no default, shown as such in help output.
        }

        var result = new List<MapperOptionInfo>(info.Properties.Count);
        foreach (var p in info.Properties)
        {
            if (p.Set is null && p.AssociatedParameter is null) continue; // read-only: not an option
            string? defaultJson = defaults is null || p.Get is null ? null
                : JsonSerializer.Serialize(p.Get(defaults), p.PropertyType, JsonOptions);
            string description = p.AttributeProvider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: true)
                .OfType<DescriptionAttribute>().FirstOrDefault()?.Description ?? "";
            result.Add(new MapperOptionInfo(p.Name, p.PropertyType, ExpectedType(p.PropertyType), defaultJson, description, p.IsSetNullable));
        }
        return result;
    }

    /// <summary>Binds and validates the options of <paramref name="descriptor"/>.</summary>
    /// <returns>The options record, or null for a mapper that takes no options.</returns>
    /// <exception cref="ConfigValidationException">An unknown option, a value of the wrong type, or an invalid value.</exception>
    internal static IMapperOptions? Bind(MapperDescriptor descriptor, IReadOnlyDictionary<string, JsonElement> values)
    {
        if (descriptor.OptionsForm is { } form) return BindByForm(descriptor, form, values);
        return BindByReflection(descriptor, values);
    }

    /// <summary>
    /// Binds a built-in mapper's options by its field table: the same checks, in the same order, with the same messages as
    /// <see cref="BindByReflection"/> (the option descriptions those messages quote are built only when there is an error).
    /// </summary>
    private static IMapperOptions BindByForm(MapperDescriptor descriptor, MapperOptionsForm form, IReadOnlyDictionary<string, JsonElement> values)
    {
        foreach (var (key, _) in values)
            if (!form.Knows(key)) throw UnknownOption(descriptor, key);
        IMapperOptions options;
        try
        {
            options = form.Read(values);
        }
        catch (JsonException e) when (e.Path is not null)
        {
            string key = e.Path.Split('.', '[')[0];
            MapperOptionInfo option = descriptor.Options.First(o => o.Name == key);
            throw new ConfigValidationException($"mapper.{key}", $"mapper.{key} must be {option.ExpectedType}, got {Shorten(values[key].GetRawText())}");
        }
        options.Validate();
        return options;
    }

    /// <summary>Binds by System.Text.Json's reflection contract of the options type (plug-in mappers).</summary>
    internal static IMapperOptions? BindByReflection(MapperDescriptor descriptor, IReadOnlyDictionary<string, JsonElement> values)
    {
        foreach (var (key, value) in values)
        {
            MapperOptionInfo option = descriptor.Options.FirstOrDefault(o => o.Name == key)
                ?? throw UnknownOption(descriptor, key);
            CheckValue(option, value);
        }
        if (descriptor.OptionsType is null) return null;

        object? bound;
        try
        {
            bound = JsonSerializer.Deserialize(ToJsonObject(values), descriptor.OptionsType, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ConfigValidationException("mapper", $"the options of mapper '{descriptor.Name}' are invalid: {e.Message}");
        }
        var options = (IMapperOptions)(bound ?? throw new ConfigValidationException("mapper", $"the options of mapper '{descriptor.Name}' must be a JSON object"));
        options.Validate();
        return options;
    }

    private static ConfigValidationException UnknownOption(MapperDescriptor descriptor, string key)
    {
        string field = $"mapper.{key}";
        if (descriptor.Options.Count == 0)
            return new ConfigValidationException(field, $"mapper '{descriptor.Name}' takes no options, got '{key}'");
        var near = descriptor.Options.FirstOrDefault(o => string.Equals(o.Name, key, StringComparison.OrdinalIgnoreCase));
        string hint = near is null ? "" : $" (did you mean '{near.Name}'?)";
        return new ConfigValidationException(field,
            $"mapper '{descriptor.Name}' has no option '{key}'{hint}; known options: {string.Join(", ", descriptor.Options.Select(o => o.Name))}");
    }

    private static void CheckValue(MapperOptionInfo option, JsonElement value)
    {
        string field = $"mapper.{option.Name}";
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!option.AcceptsNull) throw new ConfigValidationException(field, $"{field} must be {option.ExpectedType}, got null");
            return;
        }
        try
        {
            JsonSerializer.Deserialize(value, option.Type, JsonOptions);
        }
        catch (JsonException)
        {
            throw new ConfigValidationException(field, $"{field} must be {option.ExpectedType}, got {Shorten(value.GetRawText())}");
        }
    }

    private static byte[] ToJsonObject(IReadOnlyDictionary<string, JsonElement> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values)
            {
                writer.WritePropertyName(key);
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string Shorten(string raw) => raw.Length <= 60 ? raw : raw[..57] + "...";

    /// <summary>What a JSON value of <paramref name="type"/> looks like, in words.</summary>
    internal static string ExpectedType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) || type == typeof(uint)) return "an integer";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "a number";
        if (type == typeof(string)) return "a string";
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => $"\"{ConfigJson.EnumName(n)}\""));
        Type? item = type.IsArray ? type.GetElementType()
            : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        if (item is not null) return $"an array whose items are each {ExpectedType(item)}";
        return $"a JSON value for {type.Name}";
    }
}
