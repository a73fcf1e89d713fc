// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Security.Cryptography;
using Stickpeer.Protocol.Errors;

namespace Stickpeer.Fuzz;

/// <summary>
/// A small in-process mutation fuzzer (no coverage feedback) for machines without AFL or
/// for quick smoke runs: mutates corpus inputs (bit flips, interesting bytes, inserts,
/// deletes, splices, varint-boundary values) for a bounded time and saves every input that
/// makes a target throw anything but <see cref="PeerProtocolException"/>.
/// </summary>
public sealed class MutationFuzzer
{
    private static readonly byte[] s_interesting = [0x00, 0x01, 0x04, 0x0A, 0x7F, 0x80, 0x81, 0x82, 0x85, 0x86, 0xEF, 0xF0, 0xFE, 0xFF, 0x0A];
    private readonly FuzzAction _target;
    private readonly List<byte[]> _pool;
    private readonly Random _random;

    public MutationFuzzer(FuzzAction target, IEnumerable<byte[]> corpus, int seed)
    {
        _target = target;
        _pool = corpus.Where(c => c.Length > 0).ToList();
        if (_pool.Count == 0)
        {
            _pool.Add([0]);
        }

        _random = new Random(seed);
    }

    /// <summary>Executions done.</summary>
    public long Executions { get; private set; }

    /// <summary>Runs until <paramref name="duration"/> elapses or <paramref name="maxExecutions"/> is reached; returns crashing inputs.</summary>
    public IReadOnlyList<(byte[] Input, Exception Error)> Run(TimeSpan duration, long maxExecutions)
    {
        var crashes = new List<(byte[], Exception)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration && Executions < maxExecutions)
        {
            var input = Mutate(_pool[_random.Next(_pool.Count)]);
            Executions++;
            try
            {
                _target(input);
            }
            catch (PeerProtocolException)
            {
            }
#pragma warning disable CA1031 // every other exception is a finding, recorded and reported
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var signature = ex.GetType().FullName + ex.StackTrace?.Split('\n').FirstOrDefault();
                if (seen.Add(signature))
                {
                    crashes.Add((input, ex));
                }
            }

            if (_pool.Count < 4096 && _random.Next(64) == 0)
            {
                _pool.Add(input);
            }
        }

        return crashes;
    }

    /// <summary>Stable file name for an input.</summary>
    public static string NameOf(byte[] input) => "crash-" + Convert.ToHexString(SHA256.HashData(input))[..16].ToLowerInvariant() + ".bin";

    private byte[] Mutate(byte[] seed)
    {
        var data = new List<byte>(seed);
        var rounds = 1 + _random.Next(4);
        for (var r = 0; r < rounds; r++)
        {
            var at = data.Count == 0 ? 0 : _random.Next(data.Count);
            switch (_random.Next(8))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = s_interesting[_random.Next(s_interesting.Length)];
                    break;
                case 2:
                    data.Insert(at, (byte)_random.Next(256));
                    break;
                case 3 when data.Count > 1:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(8)));
                    break;
                case 4:
                    var other = _pool[_random.Next(_pool.Count)];
                    var from = _random.Next(other.Length);
                    data.InsertRange(at, other.Skip(from).Take(1 + _random.Next(32)));
                    break;
                case 5 when data.Count > 0:
                    data.InsertRange(at, data.Skip(at).Take(1 + _random.Next(16)).ToArray());
                    break;
                case 6:
                    // A varint at a length boundary (240, 2288, 2^32-1 ...), prefix form.
                    data.InsertRange(at, s_varintEdges[_random.Next(s_varintEdges.Length)]);
                    break;
                default:
                    if (data.Count > 0)
                    {
                        data[at] = (byte)(data[at] + _random.Next(-3, 4));
                    }

                    break;
            }
        }

        return data.ToArray();
    }

    private static readonly byte[][] s_varintEdges =
    [
        [0xEF], [0xF0, 0x00], [0xFF, 0x7F], [0xF0, 0x80, 0x00], [0xFF, 0xF0, 0xFE, 0xFE, 0x7E],
        [0xFF, 0xF0, 0xFE, 0xFE, 0xFE, 0xFE, 0xFE, 0xFE, 0xFE, 0x0E], [0xF0, 0x80, 0x80, 0x80, 0x80, 0x80], [0x80, 0x7F],
    ];
}
