namespace KeyInfra.Sqlite.Migrations;

/// <summary>
/// The SQL the SQLite migrations run that EF Core's model cannot express (triggers), one pair of constants per
/// migration, called from the generated migration classes.
/// </summary>
internal static class SqliteMigrationSql
{
    // ---- KeyChangeDetection ----------------------------------------------------------------------------------

    /// <remarks>
    /// Every change to a key, by KeyInfra or by hand, numbers the key anew in <c>key_changes</c> (one row per key: the
    /// largest sequence so far plus one), in the transaction that made the change, so the number is visible exactly when
    /// the change is. SQLite runs one writer at a time, so two changes never take the same number. Inserts count too:
    /// another process may remember a new key id as unknown. A private key's change counts for its key (re-encryption,
    /// replacement, deletion), so signing caches drop the opened key.
    /// </remarks>
    public const string KeyChangeDetectionUp = """
        CREATE TRIGGER keyinfra_public_key_inserted AFTER INSERT ON public_keys
        BEGIN
            INSERT INTO key_changes (tenant_id, key_id, sequence)
                VALUES (NEW.tenant_id, NEW.id, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM key_changes))
                ON CONFLICT (tenant_id, key_id) DO UPDATE SET sequence = excluded.sequence;
        END;
        CREATE TRIGGER keyinfra_public_key_updated AFTER UPDATE ON public_keys
        BEGIN
            INSERT INTO key_changes (tenant_id, key_id, sequence)
                VALUES (NEW.tenant_id, NEW.id, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM key_changes))
                ON CONFLICT (tenant_id, key_id) DO UPDATE SET sequence = excluded.sequence;
            INSERT INTO key_changes (tenant_id, key_id, sequence)
                SELECT OLD.tenant_id, OLD.id, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM key_changes)
                WHERE OLD.tenant_id IS NOT NEW.tenant_id OR OLD.id IS NOT NEW.id
                ON CONFLICT (tenant_id, key_id) DO UPDATE SET sequence = excluded.sequence;
        END;
        CREATE TRIGGER keyinfra_public_key_deleted AFTER DELETE ON public_keys
        BEGIN
            INSERT INTO key_changes (tenant_id, key_id, sequence)
                VALUES (OLD.tenant_id, OLD.id, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM key_changes))
                ON CONFLICT (tenant_id, key_id) DO UPDATE SET sequence = excluded.sequence;
        END;
        CREATE TRIGGER keyinfra_private_key_inserted AFTER INSERT ON private_keys
        BEGIN
            INSERT INTO key_changes (tenant_id, key_id, sequence)
                VALUES (NEW.tenant_id, NEW.key_id, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM key_changes))
                ON CONFLICT (tenant_id, key_id) DO UPDATE SET sequence = excluded.sequence;
        END;
        CREATE TRIGGER keyinfra_private_key_updated AFTER UPDATE ON private_keys
        BEGIN
            INSERT INTO key_changes (tenant_id, key_id, sequence)
                VALUES (NEW.tenant_id, NEW.key_id, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM key_changes))
                ON CONFLICT (tenant_id, key_id) DO UPDATE SET sequence = excluded.sequence;
            INSERT INTO key_changes (tenant_id, key_id, sequence)
                SELECT OLD.tenant_id, OLD.key_id, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM key_changes)
                WHERE OLD.tenant_id IS NOT NEW.tenant_id OR OLD.key_id IS NOT NEW.key_id
                ON CONFLICT (tenant_id, key_id) DO UPDATE SET sequence = excluded.sequence;
        END;
        CREATE TRIGGER keyinfra_private_key_deleted AFTER DELETE ON private_keys
        BEGIN
            INSERT INTO key_changes (tenant_id, key_id, sequence)
                VALUES (OLD.tenant_id, OLD.key_id, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM key_changes))
                ON CONFLICT (tenant_id, key_id) DO UPDATE SET sequence = excluded.sequence;
        END;
        """;

    // IF EXISTS: a later migration's table rebuild may have dropped them with the old tables.
    public const string KeyChangeDetectionDown = """
        DROP TRIGGER IF EXISTS keyinfra_private_key_deleted;
        DROP TRIGGER IF EXISTS keyinfra_private_key_updated;
        DROP TRIGGER IF EXISTS keyinfra_private_key_inserted;
        DROP TRIGGER IF EXISTS keyinfra_public_key_deleted;
        DROP TRIGGER IF EXISTS keyinfra_public_key_updated;
        DROP TRIGGER IF EXISTS keyinfra_public_key_inserted;
        """;

    // ---- LogChain --------------------------------------------------------------------------------------------

    private static readonly string[] s_logTables = ["verification_records", "batch_verifications", "batch_verification_items", "verification_log_digests", "verification_log_checkpoints"];

    /// <summary>
    /// The log tables are append-only: every UPDATE and DELETE on them fails. SQLite has no roles, so this holds for
    /// every connection, KeyInfra's included (it never changes a log row); a writer who can change the schema can drop
    /// the triggers, which is what the chain's digests are for.
    /// </summary>
    public static string LogChainUp => string.Concat(s_logTables.Select(table => $"""
        CREATE TRIGGER keyinfra_{table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, 'KeyInfra: the verification log is append-only; rows of {table} cannot be updated'); END;
        CREATE TRIGGER keyinfra_{table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, 'KeyInfra: the verification log is append-only; rows of {table} cannot be deleted'); END;

        """));

    public static string LogChainDown => string.Concat(s_logTables.Select(table => $"""
        DROP TRIGGER keyinfra_{table}_no_update;
        DROP TRIGGER keyinfra_{table}_no_delete;

        """));

    // ---- SignatureHardening ----------------------------------------------------------------------------------

    /// <remarks>
    /// SQLite changes a constraint by rebuilding the table, and EF Core rebuilds <c>private_keys</c> (whose new foreign
    /// key names <c>public_keys (tenant_id, id)</c>) before <c>public_keys</c> (which gets the unique constraint), so the
    /// copy of the private keys would find no unique parent key. This index serves as one until <c>public_keys</c> is
    /// rebuilt with its constraint; the rebuild drops it with the old table.
    /// </remarks>
    public const string SignatureHardeningParentKey = "CREATE UNIQUE INDEX ux_public_keys_tenant_id_id_migrating ON public_keys (tenant_id, id);";

    /// <remarks>
    /// The table rebuilds of SignatureHardening drop the key change triggers of <c>public_keys</c> and
    /// <c>private_keys</c> with the old tables, and EF Core runs a migration's rebuilds after its SQL; so the triggers
    /// come back in a migration of their own, KeyChangeTriggersRecreated, right after it.
    /// </remarks>
    public const string KeyChangeTriggersRecreated = $"""
        {KeyChangeDetectionDown}
        {KeyChangeDetectionUp}
        """;

    // ---- HsmSlots --------------------------------------------------------------------------------------------

    private const string PrivateKeysIndexes = """
        CREATE INDEX "ix_private_keys_master_key_id" ON "private_keys" ("master_key_id");
        CREATE UNIQUE INDEX "ux_private_keys_tenant_id_key_id" ON "private_keys" ("tenant_id", "key_id");
        """;

    /// <remarks>
    /// <para>
    /// <c>private_keys</c> gets <c>hsm_slot_id</c> and the foreign key <c>(tenant_id, hsm_slot_id)</c> →
    /// <c>hsm_slots (tenant_id, id)</c> (ON DELETE RESTRICT), so a key can name only a slot of its own tenant. SQLite adds
    /// a table constraint only by rebuilding the table, and EF Core would rebuild it after the migration's SQL, dropping
    /// the key change triggers with the old table; so the rebuild is written here, as EF Core would write it, and the
    /// triggers are made again right after it, in the same transaction.
    /// </para>
    /// <para>
    /// Foreign keys stay on: nothing references <c>private_keys</c>, so dropping the old table cannot break a reference,
    /// and every copied row keeps its key reference and has no slot yet.
    /// </para>
    /// </remarks>
    public const string HsmSlotsUp = $"""
        CREATE TABLE "ef_temp_private_keys" (
            "key_id" TEXT NOT NULL CONSTRAINT "pk_private_keys" PRIMARY KEY,
            "backend" TEXT NOT NULL DEFAULT 'software',
            "created_at" TEXT NOT NULL,
            "hsm_slot_id" TEXT NULL,
            "key_material" BLOB NOT NULL,
            "master_key_id" TEXT NULL,
            "protection" TEXT NOT NULL,
            "tenant_id" TEXT NOT NULL,
            "updated_at" TEXT NOT NULL,
            CONSTRAINT "fk_private_keys_tenant_id_hsm_slot_id" FOREIGN KEY ("tenant_id", "hsm_slot_id") REFERENCES "hsm_slots" ("tenant_id", "id") ON DELETE RESTRICT,
            CONSTRAINT "fk_private_keys_tenant_id_key_id" FOREIGN KEY ("tenant_id", "key_id") REFERENCES "public_keys" ("tenant_id", "id") ON DELETE CASCADE
        );
        INSERT INTO "ef_temp_private_keys" ("key_id", "backend", "created_at", "hsm_slot_id", "key_material", "master_key_id", "protection", "tenant_id", "updated_at")
        SELECT "key_id", "backend", "created_at", NULL, "key_material", "master_key_id", "protection", "tenant_id", "updated_at"
        FROM "private_keys";
        DROP TABLE "private_keys";
        ALTER TABLE "ef_temp_private_keys" RENAME TO "private_keys";
        {PrivateKeysIndexes}
        CREATE INDEX "ix_private_keys_tenant_id_hsm_slot_id" ON "private_keys" ("tenant_id", "hsm_slot_id");
        {KeyChangeTriggersRecreated}
        """;

    /// <remarks>
    /// <c>private_keys</c> as SignatureHardening left it (the slot reference is dropped with its column), rebuilt the same
    /// way, before <c>hsm_slots</c> goes; then the key change triggers again.
    /// </remarks>
    public const string HsmSlotsDown = $"""
        CREATE TABLE "ef_temp_private_keys" (
            "key_id" TEXT NOT NULL CONSTRAINT "pk_private_keys" PRIMARY KEY,
            "backend" TEXT NOT NULL DEFAULT 'software',
            "created_at" TEXT NOT NULL,
            "key_material" BLOB NOT NULL,
            "master_key_id" TEXT NULL,
            "protection" TEXT NOT NULL,
            "tenant_id" TEXT NOT NULL,
            "updated_at" TEXT NOT NULL,
            CONSTRAINT "fk_private_keys_tenant_id_key_id" FOREIGN KEY ("tenant_id", "key_id") REFERENCES "public_keys" ("tenant_id", "id") ON DELETE CASCADE
        );
        INSERT INTO "ef_temp_private_keys" ("key_id", "backend", "created_at", "key_material", "master_key_id", "protection", "tenant_id", "updated_at")
        SELECT "key_id", "backend", "created_at", "key_material", "master_key_id", "protection", "tenant_id", "updated_at"
        FROM "private_keys";
        DROP TABLE "private_keys";
        ALTER TABLE "ef_temp_private_keys" RENAME TO "private_keys";
        {PrivateKeysIndexes}
        {KeyChangeTriggersRecreated}
        """;

    // ---- MasterKeyRotation -----------------------------------------------------------------------------------

    // Every column of the two chain tables but the re-wrap ones.
    private const string DigestColumns = "chain_id, tenant_id, sequence, committed_at, first_entry_at, master_key_id, entry_count, manifest, previous_digest, digest";

    /// <remarks>
    /// A re-wrap (<c>master-key rewrap</c>) sets the two re-wrap columns of the chain digests and checkpoints: their
    /// no-update triggers now fire only when an update names another column, so the log stays append-only in everything
    /// else.
    /// </remarks>
    public const string MasterKeyRotationUp = $"""
        DROP TRIGGER keyinfra_verification_log_digests_no_update;
        CREATE TRIGGER keyinfra_verification_log_digests_no_update BEFORE UPDATE OF {DigestColumns} ON verification_log_digests
        BEGIN SELECT RAISE(ABORT, 'KeyInfra: the verification log is append-only; only the re-wrap MAC of a row of verification_log_digests can be set'); END;
        DROP TRIGGER keyinfra_verification_log_checkpoints_no_update;
        CREATE TRIGGER keyinfra_verification_log_checkpoints_no_update BEFORE UPDATE OF {DigestColumns}, dropped_before, created_at ON verification_log_checkpoints
        BEGIN SELECT RAISE(ABORT, 'KeyInfra: the verification log is append-only; only the re-wrap MAC of a row of verification_log_checkpoints can be set'); END;
        """;

    /// <remarks>Drops the columns with SQLite's own <c>DROP COLUMN</c>: EF Core's rebuilds the table, and the rebuild would drop the triggers.</remarks>
    public const string MasterKeyRotationDown = """
        DROP TRIGGER keyinfra_verification_log_digests_no_update;
        CREATE TRIGGER keyinfra_verification_log_digests_no_update BEFORE UPDATE ON verification_log_digests
        BEGIN SELECT RAISE(ABORT, 'KeyInfra: the verification log is append-only; rows of verification_log_digests cannot be updated'); END;
        DROP TRIGGER keyinfra_verification_log_checkpoints_no_update;
        CREATE TRIGGER keyinfra_verification_log_checkpoints_no_update BEFORE UPDATE ON verification_log_checkpoints
        BEGIN SELECT RAISE(ABORT, 'KeyInfra: the verification log is append-only; rows of verification_log_checkpoints cannot be updated'); END;
        ALTER TABLE verification_log_digests DROP COLUMN rewrap_mac;
        ALTER TABLE verification_log_digests DROP COLUMN rewrap_master_key_id;
        ALTER TABLE verification_log_checkpoints DROP COLUMN rewrap_mac;
        ALTER TABLE verification_log_checkpoints DROP COLUMN rewrap_master_key_id;
        """;

    // ---- Audit -----------------------------------------------------------------------------------------------

    private static readonly string[] s_auditTables = ["control_plane_audit", "data_plane_audit"];

    /// <summary>The audit tables are append-only like the verification log's (see <see cref="LogChainUp"/>).</summary>
    public static string AuditUp => string.Concat(s_auditTables.Select(table => $"""
        CREATE TRIGGER keyinfra_{table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, 'KeyInfra: the audit log is append-only; rows of {table} cannot be updated'); END;
        CREATE TRIGGER keyinfra_{table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, 'KeyInfra: the audit log is append-only; rows of {table} cannot be deleted'); END;

        """));

    public static string AuditDown => string.Concat(s_auditTables.Select(table => $"""
        DROP TRIGGER keyinfra_{table}_no_update;
        DROP TRIGGER keyinfra_{table}_no_delete;

        """));
}
