using Microsoft.DurableTask;

namespace ImageReducer.Workflow.Durable.Hosting;

/// <summary>
/// DurableTask.Core's data converter over the <see cref="Microsoft.DurableTask"/> one, so that what
/// <see cref="StorageProviderClient"/> schedules and reads is serialized exactly as the shimmed orchestrations read and
/// write it (System.Text.Json with the SDK's settings), not with DurableTask.Core's Newtonsoft defaults.
/// </summary>
internal sealed class CoreDataConverter(DataConverter inner) : global::DurableTask.Core.Serializing.DataConverter
{
    /// <summary>The SDK's default converter, which the shims use unless told otherwise.</summary>
    public static CoreDataConverter Default { get; } = new(Microsoft.DurableTask.Converters.JsonDataConverter.Default);

    public override string Serialize(object value) => inner.Serialize(value) ?? "null";

    public override string Serialize(object value, bool formatted) => Serialize(value);

    public override object Deserialize(string data, Type objectType) => inner.Deserialize(data, objectType)!;
}
