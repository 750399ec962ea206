/**
 * Pure key-account rules the component shows: load against capacity, warnings a rep or
 * manager must act on, and which key account managers (KAMs) may take the account over.
 * Kept apart from the component so they are easy to test and to read.
 */

/** Open records owned by someone who is neither the accountable owner nor on the team. */
export function strayRecords(ownerId, teamUserIds, records) {
    const allowed = new Set([ownerId, ...teamUserIds]);
    return records.filter((r) => r.ownerId && !allowed.has(r.ownerId));
}

/** Key accounts owned per user, from the aggregate query's rows. */
export function loadsByOwner(aggregateEdges) {
    const loads = new Map();
    for (const edge of aggregateEdges ?? []) {
        const agg = edge?.node?.aggregate;
        const ownerId = agg?.OwnerId?.value;
        if (ownerId) {
            loads.set(ownerId, agg?.Id?.count?.value ?? 0);
        }
    }
    return loads;
}

/**
 * Warnings, most urgent first. `owner` is {id, name, isActive, capacity}; `load` is how many
 * key accounts the owner holds now.
 */
export function keyAccountWarnings({ owner, load, strays }) {
    const warnings = [];
    if (owner && owner.isActive === false) {
        warnings.push({
            key: 'inactive',
            text: `${owner.name} is inactive: hand this key account to an active key account manager.`
        });
    }
    if (owner && (owner.capacity === null || owner.capacity === undefined)) {
        warnings.push({
            key: 'not-kam',
            text: `${owner.name} is not a key account manager (no KAM capacity set).`
        });
    } else if (owner && load > owner.capacity) {
        warnings.push({
            key: 'over-capacity',
            text: `${owner.name} owns ${load} key accounts, over a capacity of ${owner.capacity}.`
        });
    }
    for (const stray of strays) {
        warnings.push({
            key: `stray-${stray.id}`,
            text: `${stray.kind} ${stray.name} is owned by ${stray.ownerName}, who is neither the owner nor on the account team.`
        });
    }
    return warnings;
}

/** Active KAMs with free capacity, other than the current owner, least loaded first. */
export function eligibleKams(users, loads, currentOwnerId) {
    return users
        .filter((u) => u.isActive !== false && u.capacity !== null && u.capacity !== undefined)
        .filter((u) => u.id !== currentOwnerId)
        .map((u) => ({ ...u, load: loads.get(u.id) ?? 0 }))
        .filter((u) => u.load < u.capacity)
        .sort((a, b) => a.load / a.capacity - b.load / b.capacity || a.name.localeCompare(b.name));
}
