using System.Buffers.Text;
using System.Text;

namespace ImageReducer.Workflow.Storage;

/// <summary>Makes and checks the block ids that <see cref="IBlobStore.StageBlockAsync"/> takes.</summary>
/// <remarks>
/// Azure's rules, enforced here for every backend so a local run fails where Azure would:
/// a block id is a Base64 string of at most 64 bytes before encoding, and all block ids of one
/// blob have the same length.
/// </remarks>
public static class BlockIds
{
    /// <summary>Most bytes a block id may encode.</summary>
    public const int MaxDecodedLength = 64;

    /// <summary>
    /// The Base64 block id of a readable, fixed-width label such as <c>tile-0007-plane-1-part-0003</c>;
    /// labels of the same width give ids of the same length, as Azure requires.
    /// </summary>
    /// <exception cref="ArgumentException">The label is empty or longer than 64 UTF-8 bytes.</exception>
    public static string FromLabel(string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        byte[] bytes = Encoding.UTF8.GetBytes(label);
        if (bytes.Length > MaxDecodedLength)
        {
            throw new ArgumentException(
                $"Block label '{label}' is {bytes.Length} UTF-8 bytes; at most {MaxDecodedLength} are allowed.", nameof(label));
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>The label a <see cref="FromLabel"/> id was made from (for messages and logs).</summary>
    public static string ToLabel(string blockId) => Encoding.UTF8.GetString(Decode(blockId));

    /// <summary>Throws when <paramref name="blockId"/> is not a valid block id.</summary>
    /// <exception cref="ArgumentException">Not Base64, empty, or more than 64 bytes decoded.</exception>
    public static void Validate(string blockId) => Decode(blockId);

    /// <summary>Throws unless the list is non-empty, every id is valid, and all have one length.</summary>
    /// <exception cref="ArgumentException">The list breaks one of those rules.</exception>
    public static void ValidateList(IReadOnlyList<string> blockIds)
    {
        ArgumentNullException.ThrowIfNull(blockIds);
        if (blockIds.Count == 0)
        {
            throw new ArgumentException("A block list needs at least one block id.", nameof(blockIds));
        }

        int length = blockIds[0]?.Length ?? 0;
        for (int i = 0; i < blockIds.Count; i++)
        {
            Validate(blockIds[i]);
            if (blockIds[i].Length != length)
            {
                throw new ArgumentException(
                    $"Block id {i} ('{blockIds[i]}') has length {blockIds[i].Length} but block id 0 has {length}; " +
                    "all block ids of a blob must have the same length.", nameof(blockIds));
            }
        }
    }

    internal static byte[] Decode(string blockId)
    {
        ArgumentException.ThrowIfNullOrEmpty(blockId);
        // Base64.IsValid skips white space, which Azure does not accept inside a block id.
        if (blockId.Any(char.IsWhiteSpace) || !Base64.IsValid(blockId, out int decodedLength))
        {
            throw new ArgumentException($"Block id '{blockId}' is not a Base64 string.", nameof(blockId));
        }

        if (decodedLength is 0 or > MaxDecodedLength)
        {
            throw new ArgumentException(
                $"Block id '{blockId}' encodes {decodedLength} bytes; it must encode 1 to {MaxDecodedLength}.", nameof(blockId));
        }

        return Convert.FromBase64String(blockId);
    }
}
