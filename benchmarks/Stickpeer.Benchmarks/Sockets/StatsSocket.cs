// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Stickpeer.Benchmarks.Sockets;

/// <summary>A stats-socket client (HAProxy's, or Stickpeer's look-alike): bulk <c>set table</c> in prompt mode, <c>show table</c> headers.</summary>
internal static partial class StatsSocket
{
    /// <summary>Connects, retrying while the process starts (up to <paramref name="timeout"/>).</summary>
    public static Socket Connect(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                s.Connect(new UnixDomainSocketEndPoint(path));
                return s;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                s.Dispose();
                Thread.Sleep(2);
            }
            catch
            {
                s.Dispose();
                throw;
            }
        }
    }

    /// <summary>Sets <paramref name="n"/> entries through one prompt-mode connection, in chunks of 2000 lines.</summary>
    public static void Populate(string path, string table, int n, Func<int, string> key, string data)
    {
        using var socket = Connect(path, TimeSpan.FromSeconds(30));
        using var stream = new NetworkStream(socket, ownsSocket: false);
        stream.Write("prompt\n"u8);
        var buffer = new byte[1 << 16];
        var prompts = 0;
        var expected = 1;
        const int Chunk = 2000;
        var sb = new StringBuilder();
        for (var start = 0; start < n; start += Chunk)
        {
            sb.Clear();
            var end = Math.Min(n, start + Chunk);
            for (var i = start; i < end; i++)
            {
                sb.Append("set table ").Append(table).Append(" key ").Append(key(i)).Append(' ').Append(data).Append('\n');
            }

            stream.Write(Encoding.ASCII.GetBytes(sb.ToString()));
            expected += end - start;
            prompts = ReadPrompts(stream, buffer, prompts, expected);
        }
    }

    /// <summary>The <c>used:</c> count of <paramref name="table"/> in <c>show table</c>, or -1 when the socket is not up yet.</summary>
    public static long Used(string path, string table)
    {
        Socket s;
        try
        {
            s = Connect(path, TimeSpan.Zero);
        }
        catch (SocketException)
        {
            return -1;
        }

        using (s)
        {
            using var stream = new NetworkStream(s, ownsSocket: false);
            stream.Write("show table\n"u8);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var text = reader.ReadToEnd();
            foreach (Match m in HeaderRegex().Matches(text))
            {
                if (m.Groups[1].Value == table)
                {
                    return long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return -1;
        }
    }

    private static int ReadPrompts(NetworkStream stream, byte[] buffer, int prompts, int expected)
    {
        var prev = (byte)0;
        while (prompts < expected)
        {
            var read = stream.Read(buffer);
            if (read == 0)
            {
                throw new IOException("the stats socket closed");
            }

            foreach (var b in buffer.AsSpan(0, read))
            {
                if (prev == (byte)'>' && b == (byte)' ')
                {
                    prompts++;
                }
                else if (b != (byte)' ' && b != (byte)'\n' && b != (byte)'>')
                {
                    throw new IOException("unexpected stats socket answer byte: " + (char)b);
                }

                prev = b;
            }
        }

        return prompts;
    }

    [GeneratedRegex(@"# table: ([^,]+), type: [^,]+, size:\d+, used:(\d+)")]
    private static partial Regex HeaderRegex();
}
