// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net;

namespace Stickpeer.Node.Embedding;

/// <summary>
/// A key given to a <see cref="StickpeerTable"/>: text as in <c>set table … key &lt;key&gt;</c>, or an
/// <see cref="IPAddress"/> for <c>ip</c>/<c>ipv6</c> tables (both convert implicitly). It is checked against
/// the table's key type when used.
/// </summary>
public readonly struct TableKey : IEquatable<TableKey>
{
    /// <summary>A key written as text.</summary>
    public TableKey(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
    }

    /// <summary>An address key (an IPv4-mapped IPv6 address counts as IPv4 in an <c>ip</c> table, as a dual-stack socket reports IPv4 clients).</summary>
    public TableKey(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Address = address;
    }

    /// <summary>The key's text (null for an address key).</summary>
    public string? Text { get; }

    /// <summary>The key's address (null for a text key).</summary>
    public IPAddress? Address { get; }

    /// <summary>A key written as text.</summary>
    public static implicit operator TableKey(string text) => new(text);

    /// <summary>An address key.</summary>
    public static implicit operator TableKey(IPAddress address) => new(address);

    /// <summary>Equality of the key as given (not after parsing).</summary>
    public static bool operator ==(TableKey left, TableKey right) => left.Equals(right);

    /// <summary>Inequality of the key as given.</summary>
    public static bool operator !=(TableKey left, TableKey right) => !left.Equals(right);

    /// <summary>A key written as text.</summary>
    public static TableKey FromString(string text) => new(text);

    /// <summary>An address key.</summary>
    public static TableKey FromIPAddress(IPAddress address) => new(address);

    /// <inheritdoc/>
    public bool Equals(TableKey other) => string.Equals(Text, other.Text, StringComparison.Ordinal) && Equals(Address, other.Address);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TableKey other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Text, Address);

    /// <inheritdoc/>
    public override string ToString() => Text ?? Address?.ToString() ?? string.Empty;
}
