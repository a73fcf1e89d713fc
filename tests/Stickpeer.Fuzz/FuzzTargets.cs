// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Stickpeer.Fuzz.Targets;

namespace Stickpeer.Fuzz;

/// <summary>Runs one fuzz target on one input.</summary>
public delegate void FuzzAction(ReadOnlySpan<byte> data);

/// <summary>Finds every <see cref="IFuzzTarget"/> by reflection; a target's name is its type name.</summary>
public static class FuzzTargets
{
    private static readonly Lazy<SortedDictionary<string, FuzzAction>> s_all = new(Discover);

    /// <summary>Target name → entry point.</summary>
    public static IReadOnlyDictionary<string, FuzzAction> All => s_all.Value;

    /// <summary>Looks a target up by name (case-insensitive).</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out string? canonicalName, [NotNullWhen(true)] out FuzzAction? action)
    {
        foreach (var (n, a) in All)
        {
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            {
                canonicalName = n;
                action = a;
                return true;
            }
        }

        canonicalName = null;
        action = null;
        return false;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Test tool; never trimmed.")]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Test tool; never trimmed.")]
    private static SortedDictionary<string, FuzzAction> Discover()
    {
        var result = new SortedDictionary<string, FuzzAction>(StringComparer.Ordinal);
        foreach (var type in typeof(IFuzzTarget).Assembly.GetTypes())
        {
            if (type.IsClass && !type.IsAbstract && typeof(IFuzzTarget).IsAssignableFrom(type))
            {
                var method = type.GetMethod(nameof(IFuzzTarget.Fuzz), BindingFlags.Public | BindingFlags.Static, [typeof(ReadOnlySpan<byte>)])!;
                result[type.Name] = method.CreateDelegate<FuzzAction>();
            }
        }

        return result;
    }
}
