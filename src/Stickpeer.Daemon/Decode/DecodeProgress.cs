// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Globalization;
using Spectre.Console;
using Stickpeer.Protocol.Decode;

namespace Stickpeer.Daemon.Decode;

/// <summary>
/// Shows how far a long <c>decode</c> got: a bar on a terminal (stderr), or, when progress was
/// asked for with output redirected, a line at each tenth. Decoded lines still go to stdout only,
/// so a pipe into <c>grep</c> sees nothing else.
/// </summary>
internal static class DecodeProgress
{
    /// <summary>Inputs from this size up show a bar on a terminal without being asked.</summary>
    public const int AutomaticFrom = 4 << 20;

    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(100);

    public static async Task<SessionDecodeResult> DecodeAsync(byte[] bytes, IAnsiConsole? terminal, TextWriter stderr, TimeProvider time)
    {
        if (terminal is not { Profile.Capabilities.Interactive: true })
        {
            return SessionDecoder.Decode(bytes, new TenthLines(stderr, bytes.Length));
        }

        SessionDecodeResult? result = null;
        await terminal.Progress().AutoClear(true).StartAsync(async ctx =>
        {
            var bar = ctx.AddTask("decoding", maxValue: Math.Max(1, bytes.Length));
            var latest = new LatestOffset();
            var work = Task.Run(() => SessionDecoder.Decode(bytes, latest));
            while (!work.IsCompleted)
            {
                bar.Value = latest.Value;
                await Task.WhenAny(work, Task.Delay(s_refresh, time));
            }

            result = await work;
            bar.Value = bar.MaxValue;
        });
        return result!;
    }

    /// <summary>Keeps the last offset reported (read by the refresh loop on another thread).</summary>
    private sealed class LatestOffset : IProgress<long>
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Report(long value) => Interlocked.Exchange(ref _value, value);
    }

    /// <summary>Writes <c>decode: 40% (n of m bytes)</c> each time another tenth is reached.</summary>
    private sealed class TenthLines(TextWriter stderr, long total) : IProgress<long>
    {
        private int _shown = -1;

        public void Report(long value)
        {
            var tenth = total == 0 ? 10 : (int)(value * 10 / total);
            if (tenth > _shown)
            {
                _shown = tenth;
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"decode: {tenth * 10}% ({value} of {total} bytes)"));
            }
        }
    }
}
