// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Persistence;

/// <summary>The flusher's file operations: writes with retry, fsync, log generations.</summary>
internal sealed partial class ChangeLog
{
    /// <summary>
    /// Writes to the log of <paramref name="generation"/>, retrying every second while the disk
    /// refuses. False when stopped meanwhile, or when persistence stopped since <paramref name="epoch"/>.
    /// </summary>
    private async Task<bool> WriteAsync(ulong generation, ReadOnlyMemory<byte> bytes, long epoch)
    {
        while (IsCurrent(epoch))
        {
            var start = _file?.Position ?? 0;
            try
            {
                if (_file is null || _fileGeneration != generation)
                {
                    OpenGeneration(generation);
                    start = _file!.Position;
                }

                if (!bytes.IsEmpty)
                {
                    _file.Write(bytes.Span);
                    Interlocked.Add(ref _bytesSinceSnapshot, bytes.Length);
                }

                NoteSuccess(_file.Name);
                return true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                NoteFailure(_file?.Name ?? _directory, ex.Message);
                TryCutBack(start);
            }

            if (!await DelayRetryAsync())
            {
                return false;
            }
        }

        return false;
    }

    private async Task<bool> SyncAsync(long epoch)
    {
        while (IsCurrent(epoch))
        {
            try
            {
                _file?.Flush(flushToDisk: true);
                NoteSuccess(_file?.Name ?? _directory);
                return true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                NoteFailure(_file?.Name ?? _directory, "fsync: " + ex.Message);
            }

            if (!await DelayRetryAsync())
            {
                return false;
            }
        }

        return false;
    }

    private async Task<bool> DelayRetryAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            await Task.Delay(RetryDelay, _time, _stop.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // A failed write may have left part of a record: cut the file back so a retry appends whole records only.
    private void TryCutBack(long length)
    {
        try
        {
            if (_file is not null)
            {
                _file.SetLength(length);
                _file.Position = length;
            }
        }
        catch (IOException)
        {
            // Left as is: the next start-up drops a torn tail, and a retry writes after it only if this worked.
        }
    }

    private void OpenGeneration(ulong generation)
    {
        if (_file is not null)
        {
            try
            {
                _file.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                // A rotation synced the old generation before this; after a recovery the snapshot covers it.
            }

            _file.Dispose();
            _file = null;
        }

        _file = CreateLogFile(_directory, generation);
        _fileGeneration = generation;
    }

    /// <summary>Creates a log file with its header, synced, and syncs the directory entry.</summary>
    public static FileStream CreateLogFile(string directory, ulong generation)
    {
        var path = Path.Combine(directory, DataDirectory.LogName(generation));
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        try
        {
            Span<byte> header = stackalloc byte[PersistenceFormat.HeaderSize];
            PersistenceFormat.WriteHeader(header, FileKind.Log, generation);
            file.Write(header);
            file.Flush(flushToDisk: true);
            DataDirectory.Sync(directory);
            return file;
        }
        catch
        {
            file.Dispose();
            File.Delete(path);
            throw;
        }
    }
}
