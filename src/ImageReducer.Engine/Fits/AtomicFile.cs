namespace ImageReducer.Engine.Fits;

/// <summary>Writes a file atomically: a temp file in the same folder, flushed to disk, then renamed over the target.</summary>
internal static class AtomicFile
{
    /// <summary>Runs <paramref name="write"/> on a temp file and renames it to <paramref name="path"/>; on any error the temp file is deleted and the target is untouched.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        // A random name only for the temp file: the bytes written stay deterministic.
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
