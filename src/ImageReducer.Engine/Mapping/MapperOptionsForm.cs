using System.Buffers;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using ImageReducer.Engine.Config;

namespace ImageReducer.Engine.Mapping;

/// <summary>
/// A built-in mapper's options read by a field table (<see cref="JsonFieldTable{T}"/>), the configuration's own way: no
/// System.Text.Json reflection contract, so a fresh process binds its mapper without building one. Plug-in mappers'
/// options are bound by reflection (<see cref="MapperOptionsBinder"/>).
/// </summary>
/// <remarks>
/// An options record of the engine declares its form as <c>internal static MapperOptionsForm JsonForm { get; }</c>
/// (found once per descriptor, by <see cref="Find"/>); the engine's tests check that every built-in has one, naming every option.
/// </remarks>
internal abstract class MapperOptionsForm
{
    private const string PropertyName = "JsonForm";

    /// <summary>The options record.</summary>
    public abstract Type OptionsType { get; }

    /// <summary>The JSON names of the options, in declaration order.</summary>
    public abstract IReadOnlyList<string> Names { get; }

    /// <summary>Whether <paramref name="name"/> is an option (exact case).</summary>
    public abstract bool Knows(string name);

    /// <summary>The options record with each of <paramref name="values"/> read over its default.</summary>
    /// <exception cref="JsonException">A value of the wrong kind; <see cref="JsonException.Path"/> is the option's name.</exception>
    public abstract IMapperOptions Read(IReadOnlyDictionary<string, JsonElement> values);

    /// <summary>
    /// The options as <see cref="MapperOptionsBinder"/> describes them from a reflection contract (names, types, defaults,
    /// descriptions, whether null is accepted), from the field table and the record's properties instead: no contract to build,
    /// which the native imred cannot do for every record (generic property metadata over the engine's enums).
    /// </summary>
    public abstract IReadOnlyList<MapperOptionInfo> Describe();

    /// <summary>The form an options record of the engine declares, or null (plug-ins, records without one).</summary>
    public static MapperOptionsForm? Find(Type optionsType) =>
        optionsType.Assembly == typeof(MapperOptionsForm).Assembly
        && optionsType.GetProperty(PropertyName, BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)?.GetValue(null) is MapperOptionsForm form
        && form.OptionsType == optionsType ? form : null;

    /// <summary>The form of <typeparamref name="T"/>: its fields, its defaults from <c>new T()</c>.</summary>
    public static MapperOptionsForm Of<[DynamicallyAccessedMembers(Described)] T>(params JsonField<T>[] fields) where T : class, IMapperOptions, new() =>
        new Table<T>(new JsonFieldTable<T>($"the options of {typeof(T).Name}", fields));

    /// <summary>What <see cref="Describe"/> reads of an options record by reflection (kept by the trimmer of the native build).</summary>
    private const DynamicallyAccessedMemberTypes Described = DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor;

    private sealed class Table<[DynamicallyAccessedMembers(Described)] T>(JsonFieldTable<T> table) : MapperOptionsForm where T : class, IMapperOptions, new()
    {
        public override Type OptionsType => typeof(T);

        public override IReadOnlyList<string> Names => table.Names;

        public override bool Knows(string name) => table.Find(name) is not null;

        public override IReadOnlyList<MapperOptionInfo> Describe()
        {
            var defaults = new T();
            var nullability = new NullabilityInfoContext();
            PropertyInfo[] properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance);
            var result = new List<MapperOptionInfo>(table.Names.Count);
            foreach (string name in table.Names)
            {
                PropertyInfo property = Array.Find(properties, p => ConfigJson.FieldName(p.Name) == name)
                    ?? throw new InvalidOperationException($"{typeof(T).Name}'s field table names '{name}', which is none of its properties");
                Type type = property.PropertyType;
                bool acceptsNull = type.IsValueType
                    ? Nullable.GetUnderlyingType(type) is not null
                    : nullability.Create(property).WriteState != NullabilityState.NotNull;
                result.Add(new MapperOptionInfo(name, type, MapperOptionsBinder.ExpectedType(type), DefaultJson(table.Find(name)!, defaults),
                    property.GetCustomAttribute<DescriptionAttribute>(inherit: true)?.Description ?? "", acceptsNull));
            }
            return result;
        }

        /// <summary>The field's default as compact JSON, written as the binder's contract writes it (<c>null</c> when the field writes nothing).</summary>
        private static string DefaultJson(JsonField<T> field, T defaults)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = MapperOptionsBinder.JsonOptions.Encoder }))
            {
                writer.WriteStartObject();
                field.Write(writer, defaults);
                writer.WriteEndObject();
            }
            using var document = JsonDocument.Parse(buffer.WrittenMemory);
            foreach (JsonProperty written in document.RootElement.EnumerateObject()) return written.Value.GetRawText();
            return "null";
        }

        public override IMapperOptions Read(IReadOnlyDictionary<string, JsonElement> values)
        {
            var options = new T();
            foreach (var (name, value) in values)
            {
                JsonField<T> field = table.Find(name) ?? throw new JsonException("unknown option", name, null, null);
                var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(value));
                reader.Read();
                try
                {
                    options = field.Read(options, ref reader);
                }
                catch (JsonException e)
                {
                    throw JsonFieldTable.At(name, e);
                }
            }
            return options;
        }
    }
}
