using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using ImageReducer.Engine.Config;

namespace ImageReducer.Engine.Mapping;

/// <summary>
/// The mappers known by name: the engine's built-ins plus any registered from plug-in assemblies
/// or factories. <see cref="Create"/> turns a <see cref="MapperConfig"/> into a ready mapper.
/// </summary>
/// <remarks>
/// A mapper class is discovered when it is public, non-abstract, implements <see cref="IMapper"/>
/// and carries <see cref="MapperNameAttribute"/>; it needs a public constructor taking its options
/// record (an <see cref="IMapperOptions"/>) or a public parameterless one. Names are case-sensitive
/// and unique: registering a name twice is an error. Reads (lookup, listing, <see cref="Create"/>)
/// are lock-free and safe concurrently with registration, which is serialised and all-or-nothing.
/// </remarks>
public sealed class MapperRegistry
{
    private readonly Lock gate = new();
    // The registered mappers sorted by name (ordinal), replaced whole on registration. A plain array: an immutable sorted
    // dictionary's generic code over its key-value pairs is in no ReadyToRun image and cost each fresh run ~30 JIT-compiled methods.
    private MapperDescriptor[] mappers = [];

    /// <summary>A registry holding the engine's built-in mappers.</summary>
    /// <remarks>
    /// The built-in mappers' options are described (through their JSON contracts) when first asked for,
    /// not here: a fresh <c>imred run</c> binds one mapper, and describing every one of them cost
    /// ~50 ms of CPU at each start. Their option types are the engine's own, checked by its tests;
    /// a plug-in's are described at <see cref="Register(Assembly)"/>, so a bad one fails there.
    /// </remarks>
    public MapperRegistry() => Register(typeof(MapperRegistry).Assembly, describeOptionsLazily: true);

    private MapperRegistry(bool _) { }

    /// <summary>A registry with no mapper at all (for hosts that choose every mapper themselves).</summary>
    public static MapperRegistry CreateEmpty() => new(false);

    /// <summary>The registered mappers, sorted by name (a snapshot).</summary>
    public IReadOnlyList<MapperDescriptor> Mappers => [.. Volatile.Read(ref mappers)];

    /// <summary>The registered names, sorted (a snapshot).</summary>
    public IReadOnlyList<string> Names => Volatile.Read(ref mappers).Select(d => d.Name).ToArray();

    /// <summary>Looks a mapper up by its exact name.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out MapperDescriptor? descriptor) =>
        (descriptor = Find(Volatile.Read(ref mappers), name)) is not null;

    /// <summary>The mapper registered as <paramref name="name"/>.</summary>
    /// <exception cref="ConfigValidationException">No such mapper (field <c>mapper.name</c>; the message lists the known names).</exception>
    public MapperDescriptor Get(string name)
    {
        var snapshot = Volatile.Read(ref mappers);
        if (Find(snapshot, name) is { } d) return d;
        string? near = snapshot.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase))?.Name;
        string hint = near is null ? "" : $" (did you mean '{near}'?)";
        string known = snapshot.Length == 0 ? "none registered" : string.Join(", ", snapshot.Select(k => k.Name));
        throw new ConfigValidationException("mapper.name", $"unknown mapper '{name}'{hint}; known mappers: {known}");
    }

    /// <summary>Binds and validates the options of <paramref name="config"/> without constructing the mapper.</summary>
    /// <returns>The typed options, or null for a mapper that takes none.</returns>
    /// <exception cref="ConfigValidationException">Unknown mapper or option, wrong option type, or an invalid value.</exception>
    public IMapperOptions? BindOptions(MapperConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return MapperOptionsBinder.Bind(Get(config.Name), config.Options ?? []);
    }

    /// <summary>Creates the mapper named by <paramref name="config"/> with its options bound and validated.</summary>
    /// <exception cref="ConfigValidationException">
    /// Unknown mapper (<c>mapper.name</c>), unknown option or value of the wrong type (<c>mapper.&lt;option&gt;</c>),
    /// or an option that fails its validation.
    /// </exception>
    public IMapper Create(MapperConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var descriptor = Get(config.Name);
        return descriptor.Construct(MapperOptionsBinder.Bind(descriptor, config.Options ?? []));
    }

    /// <summary>Registers every mapper class of <paramref name="assembly"/> (see the remarks for what is discovered).</summary>
    /// <returns>The mappers added, sorted by name.</returns>
    /// <exception cref="MapperRegistrationException">
    /// A name is already registered or repeated in the assembly, a class has no usable constructor,
    /// or the assembly's types cannot be loaded. Nothing is registered then.
    /// </exception>
    public IReadOnlyList<MapperDescriptor> Register(Assembly assembly) => Register(assembly, describeOptionsLazily: false);

    private IReadOnlyList<MapperDescriptor> Register(Assembly assembly, bool describeOptionsLazily)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or NotSupportedException)
        {
            throw new MapperRegistrationException($"Cannot read the types of assembly {assembly.FullName}: {e.Message}", e);
        }
        var found = types
            .Where(t => t.IsClass && !t.IsAbstract && t.GetCustomAttribute<MapperNameAttribute>(inherit: false) is not null)
            .Select(t => Describe(t, describeOptionsLazily))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToArray();
        Add(found, $"assembly {assembly.GetName().Name}");
        return found;
    }

    /// <summary>Loads a plug-in assembly from a file and registers its mapper classes.</summary>
    /// <exception cref="MapperRegistrationException">The file is missing or not a loadable .NET assembly, or registration fails.</exception>
    public IReadOnlyList<MapperDescriptor> LoadFrom(string assemblyPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(assemblyPath);
        string full = Path.GetFullPath(assemblyPath);
        if (!File.Exists(full)) throw new MapperRegistrationException($"Mapper plug-in assembly '{full}' does not exist.");
        Assembly assembly;
        try
        {
            // LoadFrom (not an isolated context) so the plug-in binds to this process's ImageReducer.Engine
            // types and finds its own dependencies next to it.
            assembly = Assembly.LoadFrom(full);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            throw new MapperRegistrationException($"Cannot load mapper plug-in '{full}': {e.Message}", e);
        }
        return Register(assembly);
    }

    /// <summary>Registers one mapper class carrying <see cref="MapperNameAttribute"/>.</summary>
    /// <exception cref="MapperRegistrationException">No attribute, not an <see cref="IMapper"/>, no usable constructor, or a duplicate name.</exception>
    public MapperDescriptor Register(Type mapperType)
    {
        ArgumentNullException.ThrowIfNull(mapperType);
        var d = Describe(mapperType, describeOptionsLazily: false);
        Add([d], mapperType.FullName ?? mapperType.Name);
        return d;
    }

    /// <summary>Registers a mapper built by a factory.</summary>
    /// <param name="name">The name used in <c>mapper.name</c>.</param>
    /// <param name="factory">Builds the mapper from its bound, validated options (null when <paramref name="optionsType"/> is null).</param>
    /// <param name="optionsType">The options record (implements <see cref="IMapperOptions"/>), or null for no options.</param>
    /// <param name="description">One line for help output.</param>
    /// <exception cref="MapperRegistrationException">Invalid name, options type not an <see cref="IMapperOptions"/>, or a duplicate name.</exception>
    public MapperDescriptor Register(string name, Func<IMapperOptions?, IMapper> factory, Type? optionsType = null, string description = "")
    {
        ArgumentNullException.ThrowIfNull(factory);
        CheckName(name, "factory registration");
        if (optionsType is not null && !typeof(IMapperOptions).IsAssignableFrom(optionsType))
            throw new MapperRegistrationException($"Options type {optionsType.FullName} of mapper '{name}' must implement {nameof(IMapperOptions)}.");
        var d = new MapperDescriptor(name, description ?? "", null, optionsType,
            optionsType is null ? [] : MapperOptionsBinder.Describe(optionsType), factory);
        Add([d], $"factory for '{name}'");
        return d;
    }

    /// <summary>Registers a mapper built by a factory taking typed options.</summary>
    /// <inheritdoc cref="Register(string, Func{IMapperOptions?, IMapper}, Type?, string)"/>
    public MapperDescriptor Register<TOptions>(string name, Func<TOptions, IMapper> factory, string description = "")
        where TOptions : class, IMapperOptions
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Register(name, o => factory((TOptions)o!), typeof(TOptions), description);
    }

    private void Add(IReadOnlyList<MapperDescriptor> added, string source)
    {
        var repeated = added.GroupBy(d => d.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new MapperRegistrationException($"Mapper name '{repeated.Key}' is used by several classes of {source}: " +
                string.Join(", ", repeated.Select(d => d.MapperType?.FullName ?? "(factory)")));
        lock (gate)
        {
            var current = mappers;
            foreach (var d in added)
                if (Find(current, d.Name) is { } existing)
                    throw new MapperRegistrationException($"Mapper name '{d.Name}' from {source} is already registered by " +
                        $"{existing.MapperType?.FullName ?? "a factory"}; names must be unique.");
            MapperDescriptor[] next = [.. current, .. added];
            Array.Sort(next, (a, b) => string.CompareOrdinal(a.Name, b.Name));
            Volatile.Write(ref mappers, next);
        }
    }

    /// <summary>The mapper named exactly <paramref name="name"/> in a sorted snapshot, or null.</summary>
    private static MapperDescriptor? Find(MapperDescriptor[] sorted, string? name)
    {
        if (name is null) return null;
        int lo = 0, hi = sorted.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = string.CompareOrdinal(sorted[mid].Name, name);
            if (c == 0) return sorted[mid];
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return null;
    }

    private static MapperDescriptor Describe(Type type, bool describeOptionsLazily)
    {
        string typeName = type.FullName ?? type.Name;
        var attribute = type.GetCustomAttribute<MapperNameAttribute>(inherit: false)
            ?? throw new MapperRegistrationException($"{typeName} has no [{nameof(MapperNameAttribute)}]: it cannot be registered by type.");
        if (!type.IsClass || type.IsAbstract || type.ContainsGenericParameters)
            throw new MapperRegistrationException($"Mapper '{attribute.Name}' ({typeName}) must be a non-abstract, non-generic class.");
        if (!typeof(IMapper).IsAssignableFrom(type))
            throw new MapperRegistrationException($"Mapper '{attribute.Name}' ({typeName}) does not implement {nameof(IMapper)}.");
        CheckName(attribute.Name, typeName);

        var constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        var withOptions = constructors.Where(c => c.GetParameters() is [var p] && typeof(IMapperOptions).IsAssignableFrom(p.ParameterType)).ToArray();
        if (withOptions.Length > 1)
            throw new MapperRegistrationException($"Mapper '{attribute.Name}' ({typeName}) has {withOptions.Length} public constructors taking options; it must have one.");
        if (withOptions.Length == 1)
        {
            var ctor = withOptions[0];
            Type optionsType = ctor.GetParameters()[0].ParameterType;
            if (optionsType.IsInterface || optionsType.IsAbstract)
                throw new MapperRegistrationException($"Mapper '{attribute.Name}' ({typeName}): the options parameter must be a concrete record, not {optionsType.Name}.");
            Func<IMapperOptions?, IMapper> construct = o => (IMapper)ctor.Invoke([o]);
            return describeOptionsLazily
                ? new MapperDescriptor(attribute.Name, attribute.Description, type, optionsType,
                    new Lazy<IReadOnlyList<MapperOptionInfo>>(() => MapperOptionsBinder.Describe(optionsType)), construct)
                : new MapperDescriptor(attribute.Name, attribute.Description, type, optionsType, MapperOptionsBinder.Describe(optionsType), construct);
        }
        var parameterless = constructors.FirstOrDefault(c => c.GetParameters().Length == 0)
            ?? throw new MapperRegistrationException($"Mapper '{attribute.Name}' ({typeName}) needs a public parameterless constructor " +
                $"or one public constructor taking its {nameof(IMapperOptions)} record.");
        return new MapperDescriptor(attribute.Name, attribute.Description, type, null, [], _ => (IMapper)parameterless.Invoke(null));
    }

    private static void CheckName(string name, string source)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsWhiteSpace))
            throw new MapperRegistrationException($"Mapper name '{name}' from {source} is invalid: it must be non-empty and contain no whitespace.");
    }
}
