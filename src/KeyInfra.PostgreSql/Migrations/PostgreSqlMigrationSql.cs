namespace KeyInfra.PostgreSql.Migrations;

/// <summary>
/// The SQL of the migrations EF Core cannot express: declarative partitioning, row-level security, functions and
/// triggers. Written by hand (the generated migrations beside it are not); each Up has its Down.
/// </summary>
internal static class PostgreSqlMigrationSql
{
    // ---- PartitionVerificationRecords ------------------------------------------------------------------------

    private const string RecordIndexes = """
        CREATE INDEX ix_verification_records_key_id ON verification_records (key_id);
        CREATE INDEX ix_verification_records_tenant_id_requested_key_id_verified_at ON verification_records (tenant_id, requested_key_id, verified_at);
        CREATE INDEX ix_verification_records_tenant_id_verified_at ON verification_records (tenant_id, verified_at);
        """;

    private const string RecordConstraints = """
        ALTER TABLE verification_records ADD CONSTRAINT pk_verification_records PRIMARY KEY (id, verified_at);
        ALTER TABLE verification_records ADD CONSTRAINT fk_verification_records_key_id FOREIGN KEY (key_id) REFERENCES public_keys (id) ON DELETE RESTRICT;
        """;

    private const string DropRecordIndexes = """
        DROP INDEX ix_verification_records_key_id;
        DROP INDEX ix_verification_records_tenant_id_requested_key_id_verified_at;
        DROP INDEX ix_verification_records_tenant_id_verified_at;
        """;

    // The SECURITY DEFINER functions as the first migrations made them ("CREATE " or "CREATE OR REPLACE " goes
    // before them); SecureDefinerFunctions replaces them and its Down puts these back.

    private const string CreatePartitionsFunctionV1 = """
        FUNCTION keyinfra_create_verification_partitions(first_month timestamptz, month_count integer) RETURNS integer
            LANGUAGE plpgsql SECURITY DEFINER
            SET search_path FROM CURRENT
            SET "TimeZone" = 'UTC'
            AS $fn$
        DECLARE
            month_start timestamptz := date_trunc('month', first_month);
            part_name text;
            created integer := 0;
        BEGIN
            IF month_count IS NULL OR month_count < 1 OR month_count > 120 THEN
                RAISE EXCEPTION 'month_count must be between 1 and 120' USING ERRCODE = '22023';
            END IF;
            -- Instances creating the same month at once would collide.
            PERFORM pg_advisory_xact_lock(hashtext('keyinfra_verification_partitions'));
            FOR i IN 1 .. month_count LOOP
                part_name := 'verification_records_p' || to_char(month_start, 'YYYY_MM');
                IF to_regclass(quote_ident(part_name)) IS NULL THEN
                    EXECUTE format('CREATE TABLE %I PARTITION OF verification_records FOR VALUES FROM (%L) TO (%L)',
                        part_name, month_start, month_start + interval '1 month');
                    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', part_name);
                    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = keyinfra_current_tenant()) WITH CHECK (tenant_id = keyinfra_current_tenant())', part_name);
                    created := created + 1;
                END IF;
                month_start := month_start + interval '1 month';
            END LOOP;
            RETURN created;
        END
        $fn$;
        """;

    private const string DropPartitionsFunctionV1 = """
        FUNCTION keyinfra_drop_verification_partitions(older_than timestamptz) RETURNS TABLE (partition_name text)
            LANGUAGE plpgsql SECURITY DEFINER
            SET search_path FROM CURRENT
            SET "TimeZone" = 'UTC'
            AS $fn$
        DECLARE
            part record;
            upper_bound timestamptz;
        BEGIN
            IF older_than IS NULL OR older_than > date_trunc('month', now()) - interval '1 month' THEN
                RAISE EXCEPTION 'Refusing to drop verification records of the current or the last month' USING ERRCODE = '22023';
            END IF;
            PERFORM pg_advisory_xact_lock(hashtext('keyinfra_verification_partitions'));
            FOR part IN
                SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'verification_records'::regclass
                ORDER BY c.relname
            LOOP
                upper_bound := substring(part.bound FROM 'TO \(''([^'']+)''\)')::timestamptz;
                IF upper_bound IS NOT NULL AND upper_bound <= older_than THEN
                    EXECUTE format('DROP TABLE %I', part.relname);
                    partition_name := part.relname;
                    RETURN NEXT;
                END IF;
            END LOOP;
        END
        $fn$;
        """;

    private const string MasterKeyIdsFunctionV1 = """
        FUNCTION keyinfra_master_key_ids_in_use() RETURNS TABLE (master_key_id text)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
            AS $fn$ SELECT DISTINCT p.master_key_id::text FROM private_keys p WHERE p.master_key_id IS NOT NULL $fn$;
        """;

    private const string PrivateKeyTenantsFunctionV1 = """
        FUNCTION keyinfra_private_key_tenants() RETURNS TABLE (tenant_id uuid)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
            AS $fn$ SELECT DISTINCT p.tenant_id FROM private_keys p $fn$;
        """;

    public const string PartitionUp = $$"""
        -- The row-level security setting, read by every tenant policy; a missing or empty setting matches no row.
        CREATE FUNCTION keyinfra_current_tenant() RETURNS uuid
            LANGUAGE sql STABLE PARALLEL SAFE
            AS $fn$ SELECT NULLIF(current_setting('keyinfra.tenant_id', true), '')::uuid $fn$;

        ALTER TABLE verification_records RENAME TO verification_records_unpartitioned;
        ALTER TABLE verification_records_unpartitioned DROP CONSTRAINT pk_verification_records;
        ALTER TABLE verification_records_unpartitioned DROP CONSTRAINT fk_verification_records_key_id;
        {{DropRecordIndexes}}

        -- One partition per calendar month (UTC) of verified_at; the primary key includes the partition column.
        CREATE TABLE verification_records (LIKE verification_records_unpartitioned) PARTITION BY RANGE (verified_at);
        {{RecordConstraints}}
        {{RecordIndexes}}

        -- Creates the partitions of month_count months from first_month's month, skipping those that exist. Runs as
        -- the schema owner (SECURITY DEFINER), so the application role needs no CREATE right; it only ever adds
        -- empty partitions. Partitions can be queried by name, so each gets the tenant policy of its own.
        CREATE {{CreatePartitionsFunctionV1}}

        -- Drops the partitions whose month ended at or before older_than, newest data last month at the latest.
        -- Not granted to PUBLIC: the DBA grants it to the role that runs retention.
        CREATE {{DropPartitionsFunctionV1}}
        REVOKE EXECUTE ON FUNCTION keyinfra_drop_verification_partitions(timestamptz) FROM PUBLIC;

        -- Existing rows move into partitions of their months; the coming months get theirs now.
        SELECT keyinfra_create_verification_partitions(m, 1)
        FROM (SELECT DISTINCT date_trunc('month', verified_at, 'UTC') AS m FROM verification_records_unpartitioned) months;
        SELECT keyinfra_create_verification_partitions(now(), 4);
        INSERT INTO verification_records SELECT * FROM verification_records_unpartitioned;
        DROP TABLE verification_records_unpartitioned;
        """;

    public const string PartitionDown = $$"""
        ALTER TABLE verification_records RENAME TO verification_records_partitioned;
        ALTER TABLE verification_records_partitioned DROP CONSTRAINT fk_verification_records_key_id;
        ALTER TABLE verification_records_partitioned DROP CONSTRAINT pk_verification_records;
        {{DropRecordIndexes}}
        CREATE TABLE verification_records (LIKE verification_records_partitioned);
        {{RecordConstraints}}
        {{RecordIndexes}}
        INSERT INTO verification_records SELECT * FROM verification_records_partitioned;
        DROP TABLE verification_records_partitioned;
        DROP FUNCTION keyinfra_drop_verification_partitions(timestamptz);
        DROP FUNCTION keyinfra_create_verification_partitions(timestamptz, integer);
        DROP FUNCTION keyinfra_current_tenant();
        """;

    // ---- TenantRowLevelSecurity ------------------------------------------------------------------------------

    private const string TenantPolicy = "USING (tenant_id = keyinfra_current_tenant()) WITH CHECK (tenant_id = keyinfra_current_tenant())";

    // Items carry no tenant of their own: an item is visible (and may be written) when its batch is.
    private const string ItemPolicy = "USING (EXISTS (SELECT 1 FROM batch_verifications b WHERE b.id = batch_id)) WITH CHECK (EXISTS (SELECT 1 FROM batch_verifications b WHERE b.id = batch_id))";

    /// <remarks>
    /// Row-level security applies to every role but the tables' owner (and superusers or BYPASSRLS roles): the
    /// application connects as its own role, the owner migrates. The owner is exempt so the SECURITY DEFINER
    /// functions below can answer the few questions that span tenants without exposing any tenant's rows.
    /// </remarks>
    public const string RowLevelSecurityUp = $$$"""
        ALTER TABLE public_keys ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON public_keys {{{TenantPolicy}}};
        ALTER TABLE private_keys ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON private_keys {{{TenantPolicy}}};
        ALTER TABLE verification_records ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON verification_records {{{TenantPolicy}}};
        ALTER TABLE batch_verifications ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON batch_verifications {{{TenantPolicy}}};
        ALTER TABLE batch_verification_items ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON batch_verification_items {{{ItemPolicy}}};

        -- Which master keys wrapped stored private keys (checked at start): ids only, no key material.
        CREATE {{{MasterKeyIdsFunctionV1}}}

        -- Which tenants hold private keys (re-encryption then reads each tenant under its own setting): ids only.
        CREATE {{{PrivateKeyTenantsFunctionV1}}}
        """;

    public const string RowLevelSecurityDown = """
        DROP FUNCTION keyinfra_private_key_tenants();
        DROP FUNCTION keyinfra_master_key_ids_in_use();
        DROP POLICY tenant_isolation ON batch_verification_items;
        ALTER TABLE batch_verification_items DISABLE ROW LEVEL SECURITY;
        DROP POLICY tenant_isolation ON batch_verifications;
        ALTER TABLE batch_verifications DISABLE ROW LEVEL SECURITY;
        DROP POLICY tenant_isolation ON verification_records;
        ALTER TABLE verification_records DISABLE ROW LEVEL SECURITY;
        DROP POLICY tenant_isolation ON private_keys;
        ALTER TABLE private_keys DISABLE ROW LEVEL SECURITY;
        DROP POLICY tenant_isolation ON public_keys;
        ALTER TABLE public_keys DISABLE ROW LEVEL SECURITY;
        """;

    // ---- KeyChangeNotifications ------------------------------------------------------------------------------

    /// <remarks>
    /// Every change to a key, by KeyInfra or by hand, tells the other instances "tenant_id/key_id" on commit;
    /// their listeners drop that key from their caches. Inserts count too: another instance may remember a new
    /// key id as unknown.
    /// </remarks>
    public const string NotificationsUp = """
        CREATE FUNCTION keyinfra_notify_public_key_change() RETURNS trigger
            LANGUAGE plpgsql AS $fn$
        DECLARE
            changed public_keys := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        BEGIN
            PERFORM pg_notify('keyinfra_key_changes', changed.tenant_id::text || '/' || changed.id::text);
            RETURN NULL;
        END
        $fn$;
        CREATE FUNCTION keyinfra_notify_private_key_change() RETURNS trigger
            LANGUAGE plpgsql AS $fn$
        DECLARE
            changed private_keys := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        BEGIN
            PERFORM pg_notify('keyinfra_key_changes', changed.tenant_id::text || '/' || changed.key_id::text);
            RETURN NULL;
        END
        $fn$;
        CREATE TRIGGER keyinfra_public_key_changed AFTER INSERT OR UPDATE OR DELETE ON public_keys
            FOR EACH ROW EXECUTE FUNCTION keyinfra_notify_public_key_change();
        CREATE TRIGGER keyinfra_private_key_changed AFTER UPDATE OR DELETE ON private_keys
            FOR EACH ROW EXECUTE FUNCTION keyinfra_notify_private_key_change();
        """;

    public const string NotificationsDown = """
        DROP TRIGGER keyinfra_private_key_changed ON private_keys;
        DROP TRIGGER keyinfra_public_key_changed ON public_keys;
        DROP FUNCTION keyinfra_notify_private_key_change();
        DROP FUNCTION keyinfra_notify_public_key_change();
        """;

    // ---- SecureDefinerFunctions ------------------------------------------------------------------------------

    // The SECURITY DEFINER functions run as the owner, so nothing they name may be resolved through a path another
    // role can write to: search_path is pg_catalog then pg_temp (pg_temp last, so a session's temporary table cannot
    // shadow a KeyInfra table; functions are never looked up there), and every KeyInfra object is qualified with the
    // schema the migration runs in (@schema@ and @schema_name@, filled in by the DO block below, which alone knows it).
    private const string SecureFunctions = """
        CREATE OR REPLACE FUNCTION @schema@.keyinfra_create_verification_partitions(first_month timestamptz, month_count integer) RETURNS integer
            LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = pg_catalog, pg_temp
            SET "TimeZone" = 'UTC'
            AS $fn$
        DECLARE
            this_month timestamptz := pg_catalog.date_trunc('month', pg_catalog.now());
            month_start timestamptz := pg_catalog.date_trunc('month', first_month);
            part_name text;
            created integer := 0;
        BEGIN
            IF first_month IS NULL OR month_count IS NULL OR month_count < 1 OR month_count > 120 THEN
                RAISE EXCEPTION 'first_month must be given and month_count be between 1 and 120' USING ERRCODE = '22023';
            END IF;
            -- Instances creating the same month at once would collide.
            PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('keyinfra_verification_partitions'));
            FOR i IN 1 .. month_count LOOP
                part_name := 'verification_records_p' || pg_catalog.to_char(month_start, 'YYYY_MM');
                IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', '@schema_name@', part_name)) IS NULL THEN
                    -- Any role but the owner (the application) may add only months from 2 before to 25 after the
                    -- current one (the most PartitionsAhead asks for), so it cannot fill the catalog with partitions;
                    -- the owner (migrations, a DBA loading old records) may add any month.
                    IF (month_start < this_month - interval '2 months' OR month_start > this_month + interval '25 months')
                            AND NOT pg_catalog.pg_has_role(session_user, current_user, 'MEMBER') THEN
                        RAISE EXCEPTION 'Only the owner may create the verification log partition of %: it is more than 2 months before or 25 months after the current month',
                            pg_catalog.to_char(month_start, 'YYYY-MM') USING ERRCODE = '22023';
                    END IF;
                    EXECUTE pg_catalog.format('CREATE TABLE %I.%I PARTITION OF %I.verification_records FOR VALUES FROM (%L) TO (%L)',
                        '@schema_name@', part_name, '@schema_name@', month_start, month_start + interval '1 month');
                    EXECUTE pg_catalog.format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', '@schema_name@', part_name);
                    EXECUTE pg_catalog.format('CREATE POLICY tenant_isolation ON %I.%I USING (tenant_id = %I.keyinfra_current_tenant()) WITH CHECK (tenant_id = %I.keyinfra_current_tenant())',
                        '@schema_name@', part_name, '@schema_name@', '@schema_name@');
                    created := created + 1;
                END IF;
                month_start := month_start + interval '1 month';
            END LOOP;
            RETURN created;
        END
        $fn$;

        CREATE OR REPLACE FUNCTION @schema@.keyinfra_drop_verification_partitions(older_than timestamptz) RETURNS TABLE (partition_name text)
            LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = pg_catalog, pg_temp
            SET "TimeZone" = 'UTC'
            AS $fn$
        DECLARE
            part record;
            upper_bound timestamptz;
        BEGIN
            IF older_than IS NULL OR older_than > pg_catalog.date_trunc('month', pg_catalog.now()) - interval '1 month' THEN
                RAISE EXCEPTION 'Refusing to drop verification records of the current or the last month' USING ERRCODE = '22023';
            END IF;
            PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('keyinfra_verification_partitions'));
            FOR part IN
                SELECT c.oid::pg_catalog.regclass AS rel, c.relname::text AS relname, pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound
                FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = pg_catalog.to_regclass(pg_catalog.format('%I.verification_records', '@schema_name@'))
                ORDER BY c.relname
            LOOP
                upper_bound := pg_catalog.substring(part.bound, 'TO \(''([^'']+)''\)')::timestamptz;
                IF upper_bound IS NOT NULL AND upper_bound <= older_than THEN
                    -- By oid: regclass prints the name schema-qualified, the schema not being on this search_path.
                    EXECUTE pg_catalog.format('DROP TABLE %s', part.rel);
                    partition_name := part.relname;
                    RETURN NEXT;
                END IF;
            END LOOP;
        END
        $fn$;

        CREATE OR REPLACE FUNCTION @schema@.keyinfra_master_key_ids_in_use() RETURNS TABLE (master_key_id text)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $fn$ SELECT DISTINCT p.master_key_id::text FROM @schema@.private_keys p WHERE p.master_key_id IS NOT NULL $fn$;

        CREATE OR REPLACE FUNCTION @schema@.keyinfra_private_key_tenants() RETURNS TABLE (tenant_id uuid)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $fn$ SELECT DISTINCT p.tenant_id FROM @schema@.private_keys p $fn$;
        """;

    private const string AppFunctions = "%1$I.keyinfra_create_verification_partitions(timestamptz, integer), %1$I.keyinfra_private_key_tenants(), %1$I.keyinfra_master_key_ids_in_use()";

    /// <remarks>
    /// Also takes EXECUTE on the three functions the application calls away from PUBLIC (a function is callable by
    /// every role by default) and grants it to the roles that may insert into <c>public_keys</c>, other than the
    /// owner: the application roles the DBA granted the tables to. A role granted the tables later needs the EXECUTE
    /// grants too (docs/postgresql.md).
    /// </remarks>
    public const string SecureDefinerFunctionsUp = $$$"""
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
            app_role text;
        BEGIN
            -- The name goes into string literals of the function bodies as well as into identifiers.
            IF schema_name IS NULL OR pg_catalog.strpos(schema_name, '''') > 0 OR pg_catalog.strpos(schema_name, '@') > 0 THEN
                RAISE EXCEPTION 'KeyInfra cannot secure its functions in schema %', schema_name;
            END IF;
            EXECUTE pg_catalog.replace(pg_catalog.replace($sql$
        {{{SecureFunctions}}}
        $sql$, '@schema_name@', schema_name), '@schema@', pg_catalog.quote_ident(schema_name));

            EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION {{{AppFunctions}}} FROM PUBLIC', schema_name);
            FOR app_role IN
                SELECT DISTINCT pg_catalog.pg_get_userbyid(g.grantee)
                FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) g
                WHERE c.oid = pg_catalog.to_regclass(pg_catalog.format('%I.public_keys', schema_name))
                    AND g.privilege_type = 'INSERT' AND g.grantee <> 0 AND g.grantee <> c.relowner
            LOOP
                EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION {{{AppFunctions}}} TO %2$I', schema_name, app_role);
            END LOOP;
        END
        $do$;
        """;

    public const string SecureDefinerFunctionsDown = $$"""
        CREATE OR REPLACE {{CreatePartitionsFunctionV1}}
        CREATE OR REPLACE {{DropPartitionsFunctionV1}}
        CREATE OR REPLACE {{MasterKeyIdsFunctionV1}}
        CREATE OR REPLACE {{PrivateKeyTenantsFunctionV1}}
        GRANT EXECUTE ON FUNCTION keyinfra_create_verification_partitions(timestamptz, integer), keyinfra_private_key_tenants(), keyinfra_master_key_ids_in_use() TO PUBLIC;
        """;

    // ---- KeyRowMacs ------------------------------------------------------------------------------------------

    /// <remarks>
    /// The row authentication pass reads every tenant's key rows, each tenant under its own row-level security
    /// setting: this function reveals only which tenants hold keys (ids only). Runs as the owner (SECURITY DEFINER),
    /// callable only by the roles that may insert into <c>public_keys</c>, as the other application functions.
    /// </remarks>
    public const string KeyRowMacsUp = """
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
            app_role text;
        BEGIN
            IF schema_name IS NULL OR pg_catalog.strpos(schema_name, '''') > 0 THEN
                RAISE EXCEPTION 'KeyInfra cannot secure its functions in schema %', schema_name;
            END IF;
            EXECUTE pg_catalog.format($f$
                CREATE FUNCTION %1$I.keyinfra_key_tenants() RETURNS TABLE (tenant_id uuid)
                    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                    AS 'SELECT DISTINCT k.tenant_id FROM %1$I.public_keys k'
                $f$, schema_name);
            -- The master keys in use now include those that made row MACs (the same signature, so its grants stay).
            EXECUTE pg_catalog.format($f$
                CREATE OR REPLACE FUNCTION %1$I.keyinfra_master_key_ids_in_use() RETURNS TABLE (master_key_id text)
                    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                    AS 'SELECT p.master_key_id::text FROM %1$I.private_keys p WHERE p.master_key_id IS NOT NULL
                        UNION SELECT k.row_mac_master_key_id::text FROM %1$I.public_keys k WHERE k.row_mac_master_key_id IS NOT NULL'
                $f$, schema_name);
            EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %1$I.keyinfra_key_tenants() FROM PUBLIC', schema_name);
            FOR app_role IN
                SELECT DISTINCT pg_catalog.pg_get_userbyid(g.grantee)
                FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) g
                WHERE c.oid = pg_catalog.to_regclass(pg_catalog.format('%I.public_keys', schema_name))
                    AND g.privilege_type = 'INSERT' AND g.grantee <> 0 AND g.grantee <> c.relowner
            LOOP
                EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %1$I.keyinfra_key_tenants() TO %2$I', schema_name, app_role);
            END LOOP;
        END
        $do$;
        """;

    // ---- LogChain --------------------------------------------------------------------------------------------

    // The log tables, partitions aside: the application may only append to them and read them.
    private const string LogTables = "'verification_records', 'batch_verifications', 'batch_verification_items', 'verification_log_digests', 'verification_log_checkpoints'";

    // The SECURITY DEFINER functions as LogChain makes them (same conventions as SecureFunctions above):
    // - a new partition is append-only for everyone but the owner (the default privileges a DBA set for the owner's
    //   new tables would otherwise grant the application UPDATE and DELETE on it, and a partition can be named directly);
    // - retention refuses to drop anything newer than the floor keyinfra_log_retention_months() returns (a function only
    //   the owner can replace), whoever calls it and whatever cutoff they pass; and when it
    //   drops partitions it keeps, for each chain, the newest digest it removes as a checkpoint, so the chain still
    //   verifies from its first remaining group.
    private const string LogChainFunctions = """
        CREATE OR REPLACE FUNCTION @schema@.keyinfra_revoke_log_changes(rel regclass) RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = pg_catalog, pg_temp
            AS $fn$
        DECLARE
            grantee_name text;
        BEGIN
            EXECUTE pg_catalog.format('REVOKE UPDATE, DELETE, TRUNCATE ON %s FROM PUBLIC', rel);
            FOR grantee_name IN
                SELECT DISTINCT pg_catalog.pg_get_userbyid(g.grantee)
                FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) g
                WHERE c.oid = rel AND g.grantee <> 0 AND g.grantee <> c.relowner AND g.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
            LOOP
                EXECUTE pg_catalog.format('REVOKE UPDATE, DELETE, TRUNCATE ON %s FROM %I', rel, grantee_name);
            END LOOP;
        END
        $fn$;
        REVOKE EXECUTE ON FUNCTION @schema@.keyinfra_revoke_log_changes(regclass) FROM PUBLIC;

        -- The retention floor in whole months: retention never drops a month that ended less than this long ago. The owner
        -- changes it by replacing this function (docs/postgresql.md).
        CREATE OR REPLACE FUNCTION @schema@.keyinfra_log_retention_months() RETURNS integer
            LANGUAGE sql IMMUTABLE
            AS $fn$ SELECT 24 $fn$;

        CREATE OR REPLACE FUNCTION @schema@.keyinfra_create_verification_partitions(first_month timestamptz, month_count integer) RETURNS integer
            LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = pg_catalog, pg_temp
            SET "TimeZone" = 'UTC'
            AS $fn$
        DECLARE
            this_month timestamptz := pg_catalog.date_trunc('month', pg_catalog.now());
            month_start timestamptz := pg_catalog.date_trunc('month', first_month);
            part_name text;
            created integer := 0;
        BEGIN
            IF first_month IS NULL OR month_count IS NULL OR month_count < 1 OR month_count > 120 THEN
                RAISE EXCEPTION 'first_month must be given and month_count be between 1 and 120' USING ERRCODE = '22023';
            END IF;
            PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('keyinfra_verification_partitions'));
            FOR i IN 1 .. month_count LOOP
                part_name := 'verification_records_p' || pg_catalog.to_char(month_start, 'YYYY_MM');
                IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', '@schema_name@', part_name)) IS NULL THEN
                    IF (month_start < this_month - interval '2 months' OR month_start > this_month + interval '25 months')
                            AND NOT pg_catalog.pg_has_role(session_user, current_user, 'MEMBER') THEN
                        RAISE EXCEPTION 'Only the owner may create the verification log partition of %: it is more than 2 months before or 25 months after the current month',
                            pg_catalog.to_char(month_start, 'YYYY-MM') USING ERRCODE = '22023';
                    END IF;
                    EXECUTE pg_catalog.format('CREATE TABLE %I.%I PARTITION OF %I.verification_records FOR VALUES FROM (%L) TO (%L)',
                        '@schema_name@', part_name, '@schema_name@', month_start, month_start + interval '1 month');
                    EXECUTE pg_catalog.format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', '@schema_name@', part_name);
                    EXECUTE pg_catalog.format('CREATE POLICY tenant_isolation ON %I.%I USING (tenant_id = %I.keyinfra_current_tenant()) WITH CHECK (tenant_id = %I.keyinfra_current_tenant())',
                        '@schema_name@', part_name, '@schema_name@', '@schema_name@');
                    PERFORM @schema@.keyinfra_revoke_log_changes(pg_catalog.format('%I.%I', '@schema_name@', part_name)::pg_catalog.regclass);
                    created := created + 1;
                END IF;
                month_start := month_start + interval '1 month';
            END LOOP;
            RETURN created;
        END
        $fn$;

        CREATE OR REPLACE FUNCTION @schema@.keyinfra_drop_verification_partitions(older_than timestamptz) RETURNS TABLE (partition_name text)
            LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = pg_catalog, pg_temp
            SET "TimeZone" = 'UTC'
            AS $fn$
        DECLARE
            part record;
            upper_bound timestamptz;
            retention_months integer;
            floor_at timestamptz;
            dropped_before timestamptz;
        BEGIN
            retention_months := @schema@.keyinfra_log_retention_months();
            IF retention_months IS NULL OR retention_months < 1 THEN
                RAISE EXCEPTION 'keyinfra_log_retention_months() must return a whole number of months, at least 1' USING ERRCODE = '22023';
            END IF;
            floor_at := pg_catalog.date_trunc('month', pg_catalog.now()) - pg_catalog.make_interval(months => retention_months);
            IF older_than IS NULL OR older_than > floor_at THEN
                RAISE EXCEPTION 'Refusing to drop verification records newer than the retention of % months (before %)',
                    retention_months, pg_catalog.to_char(floor_at, 'YYYY-MM-DD') USING ERRCODE = '22023';
            END IF;
            PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('keyinfra_verification_partitions'));
            FOR part IN
                SELECT c.oid::pg_catalog.regclass AS rel, c.relname::text AS relname, pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound
                FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = pg_catalog.to_regclass(pg_catalog.format('%I.verification_records', '@schema_name@'))
                ORDER BY c.relname
            LOOP
                upper_bound := pg_catalog.substring(part.bound, 'TO \(''([^'']+)''\)')::timestamptz;
                IF upper_bound IS NOT NULL AND upper_bound <= older_than THEN
                    EXECUTE pg_catalog.format('DROP TABLE %s', part.rel);
                    IF dropped_before IS NULL OR upper_bound > dropped_before THEN
                        dropped_before := upper_bound;
                    END IF;
                    partition_name := part.relname;
                    RETURN NEXT;
                END IF;
            END LOOP;
            IF dropped_before IS NOT NULL THEN
                -- Each chain keeps its newest removed digest: its next group links to it.
                INSERT INTO @schema@.verification_log_checkpoints
                    (chain_id, tenant_id, sequence, committed_at, first_entry_at, master_key_id, entry_count, manifest, previous_digest, digest, dropped_before, created_at)
                SELECT DISTINCT ON (d.chain_id, d.tenant_id)
                    d.chain_id, d.tenant_id, d.sequence, d.committed_at, d.first_entry_at, d.master_key_id, d.entry_count, d.manifest, d.previous_digest, d.digest,
                    dropped_before, pg_catalog.now()
                FROM @schema@.verification_log_digests d
                WHERE d.committed_at < dropped_before
                ORDER BY d.chain_id, d.tenant_id, d.sequence DESC
                ON CONFLICT DO NOTHING;
                DELETE FROM @schema@.verification_log_digests d WHERE d.committed_at < dropped_before;
            END IF;
        END
        $fn$;
        """;

    private const string LogTenantPolicies = """
        ALTER TABLE verification_log_digests ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON verification_log_digests USING (tenant_id = keyinfra_current_tenant()) WITH CHECK (tenant_id = keyinfra_current_tenant());
        ALTER TABLE verification_log_checkpoints ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON verification_log_checkpoints USING (tenant_id = keyinfra_current_tenant()) WITH CHECK (tenant_id = keyinfra_current_tenant());
        """;

    /// <remarks>
    /// The application role keeps INSERT and SELECT on the log tables and loses UPDATE, DELETE and TRUNCATE on them and
    /// on every partition (whoever granted them: a table's grants, the DBA's default privileges); checkpoints are
    /// written by the retention function only, so no role but the owner keeps INSERT on them.
    /// </remarks>
    public const string LogChainUp = $$$"""
        {{{LogTenantPolicies}}}
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
            rel regclass;
            grantee_name text;
        BEGIN
            IF schema_name IS NULL OR pg_catalog.strpos(schema_name, '''') > 0 OR pg_catalog.strpos(schema_name, '@') > 0 THEN
                RAISE EXCEPTION 'KeyInfra cannot secure its functions in schema %', schema_name;
            END IF;
            EXECUTE pg_catalog.replace(pg_catalog.replace($sql$
        {{{LogChainFunctions}}}
        $sql$, '@schema_name@', schema_name), '@schema@', pg_catalog.quote_ident(schema_name));

            FOR rel IN
                SELECT c.oid::pg_catalog.regclass FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = schema_name AND c.relname IN ({{{LogTables}}})
                UNION
                SELECT i.inhrelid::pg_catalog.regclass FROM pg_catalog.pg_inherits i
                WHERE i.inhparent = pg_catalog.to_regclass(pg_catalog.format('%I.verification_records', schema_name))
            LOOP
                EXECUTE pg_catalog.format('SELECT %I.keyinfra_revoke_log_changes(%L::regclass)', schema_name, rel::text);
            END LOOP;

            EXECUTE pg_catalog.format('REVOKE INSERT ON %I.verification_log_checkpoints FROM PUBLIC', schema_name);
            FOR grantee_name IN
                SELECT DISTINCT pg_catalog.pg_get_userbyid(g.grantee)
                FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) g
                WHERE c.oid = pg_catalog.to_regclass(pg_catalog.format('%I.verification_log_checkpoints', schema_name))
                    AND g.grantee <> 0 AND g.grantee <> c.relowner AND g.privilege_type = 'INSERT'
            LOOP
                EXECUTE pg_catalog.format('REVOKE INSERT ON %I.verification_log_checkpoints FROM %I', schema_name, grantee_name);
            END LOOP;
        END
        $do$;
        """;

    public const string KeyRowMacsDown = """
        DROP FUNCTION keyinfra_key_tenants();
        DO $do$
        BEGIN
            EXECUTE pg_catalog.format($f$
                CREATE OR REPLACE FUNCTION %1$I.keyinfra_master_key_ids_in_use() RETURNS TABLE (master_key_id text)
                    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                    AS 'SELECT DISTINCT p.master_key_id::text FROM %1$I.private_keys p WHERE p.master_key_id IS NOT NULL'
                $f$, pg_catalog.current_schema());
        END
        $do$;
        """;

    /// <remarks>
    /// Puts back the functions as SecureDefinerFunctions made them, and gives UPDATE and DELETE on the log tables and
    /// partitions back to the roles that may insert into <c>public_keys</c> (the application roles).
    /// </remarks>
    public const string LogChainDown = $$$"""
        {{{SecureDefinerFunctionsUp}}}
        DROP FUNCTION keyinfra_revoke_log_changes(regclass);
        DROP FUNCTION keyinfra_log_retention_months();
        DO $do$
        DECLARE
            app_role text;
            rel regclass;
        BEGIN
            FOR app_role IN
                SELECT DISTINCT pg_catalog.pg_get_userbyid(g.grantee)
                FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) g
                WHERE c.oid = 'public_keys'::regclass AND g.privilege_type = 'INSERT' AND g.grantee <> 0 AND g.grantee <> c.relowner
            LOOP
                FOR rel IN
                    SELECT c.oid::pg_catalog.regclass FROM pg_catalog.pg_class c
                    WHERE c.oid IN ('verification_records'::regclass, 'batch_verifications'::regclass, 'batch_verification_items'::regclass)
                    UNION
                    SELECT i.inhrelid::pg_catalog.regclass FROM pg_catalog.pg_inherits i WHERE i.inhparent = 'verification_records'::regclass
                LOOP
                    EXECUTE pg_catalog.format('GRANT UPDATE, DELETE ON %s TO %I', rel, app_role);
                END LOOP;
            END LOOP;
        END
        $do$;
        """;

    // ---- SignatureHardening ----------------------------------------------------------------------------------

    private const string ForcedTables = "ARRAY['public_keys', 'private_keys', 'verification_records', 'batch_verifications', 'batch_verification_items']";

    // The partition and retention functions as LogChain made them, the partition function now also forcing row-level
    // security on the partitions it creates (CREATE OR REPLACE keeps the EXECUTE grants).
    private static readonly string LogChainFunctionsForced = LogChainFunctions.Replace(
        "EXECUTE pg_catalog.format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', '@schema_name@', part_name);",
        "EXECUTE pg_catalog.format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', '@schema_name@', part_name);\n" +
        "                    EXECUTE pg_catalog.format('ALTER TABLE %I.%I FORCE ROW LEVEL SECURITY', '@schema_name@', part_name);",
        StringComparison.Ordinal);

    /// <remarks>
    /// <para>
    /// FORCE ROW LEVEL SECURITY puts the tables' owner under the tenant policies too, so a session of the owner (the
    /// migrations, or an application a host let run as the owner) that sets no tenant sees and changes no row, instead
    /// of every row. Superusers and BYPASSRLS roles still pass; the application refuses to start as one (and as the
    /// owner) unless the host opts in.
    /// </para>
    /// <para>
    /// The two SECURITY DEFINER functions that answer cross-tenant questions (master key ids in use, tenants with
    /// private keys) run as the owner and read <c>private_keys</c> of every tenant: one more policy lets the owner
    /// SELECT there only while it acts for another login (session_user is not current_user, which only a SECURITY
    /// DEFINER function or SET ROLE makes true; a role that may SET ROLE to the owner is refused at start). An owner
    /// session itself is not exempt.
    /// </para>
    /// </remarks>
    public static readonly string SignatureHardeningUp = $$"""
        DO $do$
        DECLARE
            t text;
            part regclass;
            definer text;
        BEGIN
            FOREACH t IN ARRAY {{ForcedTables}} LOOP
                EXECUTE pg_catalog.format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
            END LOOP;
            FOR part IN SELECT i.inhrelid::regclass FROM pg_catalog.pg_inherits i WHERE i.inhparent = 'verification_records'::regclass LOOP
                EXECUTE pg_catalog.format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', part);
            END LOOP;
            SELECT pg_catalog.pg_get_userbyid(p.proowner) INTO definer FROM pg_catalog.pg_proc p WHERE p.oid = 'keyinfra_private_key_tenants()'::regprocedure;
            EXECUTE pg_catalog.format(
                'CREATE POLICY keyinfra_definer_read ON private_keys FOR SELECT TO %I USING (session_user <> current_user)', definer);
            -- keyinfra_key_tenants() and keyinfra_master_key_ids_in_use() read public_keys of every tenant too. (The log
            -- chain's digest tables are not forced: retention, run by the owner, reads and prunes every chain's digests.)
            EXECUTE pg_catalog.format(
                'CREATE POLICY keyinfra_definer_read ON public_keys FOR SELECT TO %I USING (session_user <> current_user)', definer);
        END
        $do$;
        {{ReplaceFunctions(LogChainFunctionsForced)}}
        """;

    public static readonly string SignatureHardeningDown = $$"""
        {{ReplaceFunctions(LogChainFunctions)}}
        DROP POLICY keyinfra_definer_read ON private_keys;
        DROP POLICY keyinfra_definer_read ON public_keys;
        DO $do$
        DECLARE
            t text;
            part regclass;
        BEGIN
            FOR part IN SELECT i.inhrelid::regclass FROM pg_catalog.pg_inherits i WHERE i.inhparent = 'verification_records'::regclass LOOP
                EXECUTE pg_catalog.format('ALTER TABLE %s NO FORCE ROW LEVEL SECURITY', part);
            END LOOP;
            FOREACH t IN ARRAY {{ForcedTables}} LOOP
                EXECUTE pg_catalog.format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', t);
            END LOOP;
        END
        $do$;
        """;

    // The DO block of SecureDefinerFunctionsUp that (re)creates the functions in the migration's schema, without its grants.
    private static string ReplaceFunctions(string functions) => $$"""
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
        BEGIN
            IF schema_name IS NULL OR pg_catalog.strpos(schema_name, '''') > 0 OR pg_catalog.strpos(schema_name, '@') > 0 THEN
                RAISE EXCEPTION 'KeyInfra cannot secure its functions in schema %', schema_name;
            END IF;
            EXECUTE pg_catalog.replace(pg_catalog.replace($sql$
        {{functions}}
        $sql$, '@schema_name@', schema_name), '@schema@', pg_catalog.quote_ident(schema_name));
        END
        $do$;
        """;

    // ---- HsmSlots --------------------------------------------------------------------------------------------

    // The body of keyinfra_master_key_ids_in_use() as KeyRowMacs made it, and as HsmSlots makes it (the PINs' master keys
    // too); the signature stays, so CREATE OR REPLACE keeps its grants.
    private const string MasterKeyIdsFunctionKeyRowMacs = """
        'SELECT p.master_key_id::text FROM %1$I.private_keys p WHERE p.master_key_id IS NOT NULL
                    UNION SELECT k.row_mac_master_key_id::text FROM %1$I.public_keys k WHERE k.row_mac_master_key_id IS NOT NULL'
        """;

    private const string MasterKeyIdsFunctionHsmSlots = """
        'SELECT p.master_key_id::text FROM %1$I.private_keys p WHERE p.master_key_id IS NOT NULL
                    UNION SELECT k.row_mac_master_key_id::text FROM %1$I.public_keys k WHERE k.row_mac_master_key_id IS NOT NULL
                    UNION SELECT s.master_key_id::text FROM %1$I.hsm_slots s'
        """;

    private static string ReplaceMasterKeyIdsFunction(string body) => $$"""
            EXECUTE pg_catalog.format($f$
                CREATE OR REPLACE FUNCTION %1$I.keyinfra_master_key_ids_in_use() RETURNS TABLE (master_key_id text)
                    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                    AS {{body}}
                $f$, schema_name);
        """;

    /// <remarks>
    /// <para>
    /// <c>hsm_slots</c> is tenant-owned: row-level security enabled and forced (the owner is under the policy too), with
    /// the <c>tenant_isolation</c> policy every tenant table has. <c>hsm_modules</c> is global (a module is a library of
    /// the host), so it has no tenant and no policy.
    /// </para>
    /// <para>
    /// Three cross-tenant questions are answered by SECURITY DEFINER functions that reveal no slot: which master keys wrapped
    /// PINs (<c>keyinfra_master_key_ids_in_use()</c>, now over <c>hsm_slots</c> too, so a host whose key source lacks one does
    /// not start), which tenants have slots (<c>keyinfra_hsm_slot_tenants()</c>: re-wrapping PINs then reads each tenant under
    /// its own setting) and whether any slot names a module (<c>keyinfra_hsm_module_in_use(uuid)</c>: removing a module used
    /// by another tenant is refused with KI4202 before the foreign key has to). A <c>keyinfra_definer_read</c> policy lets
    /// their owner read <c>hsm_slots</c> only while it acts for another login, as on <c>private_keys</c> and <c>public_keys</c>.
    /// </para>
    /// <para>
    /// Grants as the other tables have them: the roles that may insert into <c>public_keys</c> (other than the owner: the
    /// application roles the DBA granted the tables to, usually through default privileges) get SELECT, INSERT and DELETE on
    /// <c>hsm_modules</c>, SELECT, INSERT, UPDATE (the PIN's compare-and-set) and DELETE on <c>hsm_slots</c>, and EXECUTE on
    /// the two new functions, which PUBLIC does not get.
    /// </para>
    /// </remarks>
    public static readonly string HsmSlotsUp = $$$"""
        ALTER TABLE hsm_slots ENABLE ROW LEVEL SECURITY;
        ALTER TABLE hsm_slots FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON hsm_slots {{{TenantPolicy}}};
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
            app_role text;
            definer text;
        BEGIN
            IF schema_name IS NULL OR pg_catalog.strpos(schema_name, '''') > 0 THEN
                RAISE EXCEPTION 'KeyInfra cannot secure its functions in schema %', schema_name;
            END IF;
            EXECUTE pg_catalog.format($f$
                CREATE FUNCTION %1$I.keyinfra_hsm_slot_tenants() RETURNS TABLE (tenant_id uuid)
                    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                    AS 'SELECT DISTINCT s.tenant_id FROM %1$I.hsm_slots s'
                $f$, schema_name);
            EXECUTE pg_catalog.format($f$
                CREATE FUNCTION %1$I.keyinfra_hsm_module_in_use(target_module uuid) RETURNS boolean
                    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                    AS 'SELECT EXISTS (SELECT 1 FROM %1$I.hsm_slots s WHERE s.module_id = target_module)'
                $f$, schema_name);
        {{{ReplaceMasterKeyIdsFunction(MasterKeyIdsFunctionHsmSlots)}}}
            EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %1$I.keyinfra_hsm_slot_tenants(), %1$I.keyinfra_hsm_module_in_use(uuid) FROM PUBLIC', schema_name);

            SELECT pg_catalog.pg_get_userbyid(p.proowner) INTO definer FROM pg_catalog.pg_proc p
                WHERE p.oid = pg_catalog.to_regprocedure(pg_catalog.format('%I.keyinfra_hsm_slot_tenants()', schema_name));
            EXECUTE pg_catalog.format(
                'CREATE POLICY keyinfra_definer_read ON %I.hsm_slots FOR SELECT TO %I USING (session_user <> current_user)', schema_name, definer);

            FOR app_role IN
                SELECT DISTINCT pg_catalog.pg_get_userbyid(g.grantee)
                FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) g
                WHERE c.oid = pg_catalog.to_regclass(pg_catalog.format('%I.public_keys', schema_name))
                    AND g.privilege_type = 'INSERT' AND g.grantee <> 0 AND g.grantee <> c.relowner
            LOOP
                EXECUTE pg_catalog.format('GRANT SELECT, INSERT, DELETE ON %1$I.hsm_modules TO %2$I', schema_name, app_role);
                EXECUTE pg_catalog.format('GRANT SELECT, INSERT, UPDATE, DELETE ON %1$I.hsm_slots TO %2$I', schema_name, app_role);
                EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %1$I.keyinfra_hsm_slot_tenants(), %1$I.keyinfra_hsm_module_in_use(uuid) TO %2$I', schema_name, app_role);
            END LOOP;
        END
        $do$;
        """;

    /// <remarks>Runs before the tables are dropped: the function that reads <c>hsm_slots</c> gets its KeyRowMacs body back first.</remarks>
    public static readonly string HsmSlotsDown = $$$"""
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
        BEGIN
        {{{ReplaceMasterKeyIdsFunction(MasterKeyIdsFunctionKeyRowMacs)}}}
        END
        $do$;
        DROP FUNCTION keyinfra_hsm_module_in_use(uuid);
        DROP FUNCTION keyinfra_hsm_slot_tenants();
        """;

    // ---- MasterKeyRotation -----------------------------------------------------------------------------------

    // The retention function as LogChain made it, and as MasterKeyRotation makes it: a checkpoint keeps its digest's
    // re-wrap MAC too, or a rotated chain could no longer be checked once the old key is retired.
    private static readonly string DropPartitionsLogChain = LogChainFunctions[LogChainFunctions.IndexOf("CREATE OR REPLACE FUNCTION @schema@.keyinfra_drop_verification_partitions", StringComparison.Ordinal)..];

    private static readonly string DropPartitionsMasterKeyRotation = ReplaceOnce(
        ReplaceOnce(
            DropPartitionsLogChain,
            "previous_digest, digest, dropped_before, created_at)",
            "previous_digest, digest, rewrap_master_key_id, rewrap_mac, dropped_before, created_at)"),
        "d.previous_digest, d.digest,",
        "d.previous_digest, d.digest, d.rewrap_master_key_id, d.rewrap_mac,");

    private const string MasterKeyRotationFunctions = "%1$I.keyinfra_master_key_uses(), %1$I.keyinfra_log_tenants(), %1$I.keyinfra_rewrap_log_digest(uuid, uuid, bigint, bytea, text, text, bytea, boolean)";

    /// <remarks>
    /// <para>
    /// Three SECURITY DEFINER functions for master key rotation, which works across tenants: <c>keyinfra_master_key_uses()</c>
    /// counts, by master key and kind, what stored data names each key (ids and counts only; a log digest counts under its
    /// re-wrap key once it has one); <c>keyinfra_log_tenants()</c> lists the tenants with log digests or checkpoints, so the
    /// re-wrap reads each under its own setting; <c>keyinfra_rewrap_log_digest(…)</c> sets the two re-wrap columns of one
    /// digest or checkpoint of the connection's tenant, compare-and-set on its digest and effective master key. The
    /// application keeps no UPDATE on the log tables: this function changes those two columns and nothing else, and a
    /// forged value in them is a break <c>log verify</c> reports (the MAC needs the master key).
    /// </para>
    /// <para>The retention function now copies the re-wrap columns into the checkpoints it makes.</para>
    /// <para>The application roles (those that may insert into <c>public_keys</c>, other than the owner) get EXECUTE on the three; PUBLIC does not.</para>
    /// </remarks>
    public static readonly string MasterKeyRotationUp = $$$"""
        {{{ReplaceFunctions(DropPartitionsMasterKeyRotation)}}}
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
            app_role text;
        BEGIN
            IF schema_name IS NULL OR pg_catalog.strpos(schema_name, '''') > 0 THEN
                RAISE EXCEPTION 'KeyInfra cannot secure its functions in schema %', schema_name;
            END IF;
            EXECUTE pg_catalog.format($f$
                CREATE FUNCTION %1$I.keyinfra_master_key_uses() RETURNS TABLE (master_key_id text, kind text, uses bigint)
                    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                    AS 'SELECT p.master_key_id::text, ''private_key'', pg_catalog.count(*) FROM %1$I.private_keys p WHERE p.master_key_id IS NOT NULL GROUP BY 1
                        UNION ALL SELECT k.row_mac_master_key_id::text, ''key_row_mac'', pg_catalog.count(*) FROM %1$I.public_keys k WHERE k.row_mac_master_key_id IS NOT NULL GROUP BY 1
                        UNION ALL SELECT s.master_key_id::text, ''hsm_pin'', pg_catalog.count(*) FROM %1$I.hsm_slots s GROUP BY 1
                        UNION ALL SELECT COALESCE(d.rewrap_master_key_id, d.master_key_id)::text, ''log_digest'', pg_catalog.count(*) FROM %1$I.verification_log_digests d GROUP BY 1
                        UNION ALL SELECT COALESCE(c.rewrap_master_key_id, c.master_key_id)::text, ''log_checkpoint'', pg_catalog.count(*) FROM %1$I.verification_log_checkpoints c GROUP BY 1'
                $f$, schema_name);
            EXECUTE pg_catalog.format($f$
                CREATE FUNCTION %1$I.keyinfra_log_tenants() RETURNS TABLE (tenant_id uuid)
                    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                    AS 'SELECT d.tenant_id FROM %1$I.verification_log_digests d UNION SELECT c.tenant_id FROM %1$I.verification_log_checkpoints c'
                $f$, schema_name);
            EXECUTE pg_catalog.format($f$
                CREATE FUNCTION %1$I.keyinfra_rewrap_log_digest(target_chain uuid, target_tenant uuid, target_sequence bigint, expected_digest bytea,
                        expected_key text, new_key text, new_mac bytea, checkpoint boolean) RETURNS boolean
                    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                    AS $fn$
                DECLARE
                    updated bigint;
                BEGIN
                    IF target_tenant IS NULL OR target_tenant IS DISTINCT FROM %1$I.keyinfra_current_tenant() THEN
                        RAISE EXCEPTION 'keyinfra_rewrap_log_digest: the digest is not of the connection''s tenant' USING ERRCODE = '42501';
                    END IF;
                    IF new_key IS NULL OR pg_catalog.length(new_key) < 1 OR pg_catalog.length(new_key) > 64 OR new_mac IS NULL OR pg_catalog.length(new_mac) <> 32 THEN
                        RAISE EXCEPTION 'keyinfra_rewrap_log_digest: a re-wrap is a master key id of 1 to 64 characters and a 32-byte MAC' USING ERRCODE = '22023';
                    END IF;
                    IF checkpoint THEN
                        UPDATE %1$I.verification_log_checkpoints c SET rewrap_master_key_id = new_key, rewrap_mac = new_mac
                            WHERE c.chain_id = target_chain AND c.tenant_id = target_tenant AND c.sequence = target_sequence
                                AND c.digest = expected_digest AND COALESCE(c.rewrap_master_key_id, c.master_key_id) = expected_key;
                    ELSE
                        UPDATE %1$I.verification_log_digests d SET rewrap_master_key_id = new_key, rewrap_mac = new_mac
                            WHERE d.chain_id = target_chain AND d.tenant_id = target_tenant AND d.sequence = target_sequence
                                AND d.digest = expected_digest AND COALESCE(d.rewrap_master_key_id, d.master_key_id) = expected_key;
                    END IF;
                    GET DIAGNOSTICS updated = ROW_COUNT;
                    RETURN updated > 0;
                END
                $fn$
                $f$, schema_name);
            EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION {{{MasterKeyRotationFunctions}}} FROM PUBLIC', schema_name);
            FOR app_role IN
                SELECT DISTINCT pg_catalog.pg_get_userbyid(g.grantee)
                FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) g
                WHERE c.oid = pg_catalog.to_regclass(pg_catalog.format('%I.public_keys', schema_name))
                    AND g.privilege_type = 'INSERT' AND g.grantee <> 0 AND g.grantee <> c.relowner
            LOOP
                EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION {{{MasterKeyRotationFunctions}}} TO %2$I', schema_name, app_role);
            END LOOP;
        END
        $do$;
        """;

    /// <remarks>Runs before the columns are dropped: the retention function gets its LogChain body back first.</remarks>
    public static readonly string MasterKeyRotationDown = $$$"""
        {{{ReplaceFunctions(DropPartitionsLogChain)}}}
        DROP FUNCTION keyinfra_rewrap_log_digest(uuid, uuid, bigint, bytea, text, text, bytea, boolean);
        DROP FUNCTION keyinfra_log_tenants();
        DROP FUNCTION keyinfra_master_key_uses();
        """;

    // A migration's SQL made from an older one's must change exactly what it means to (whatever the line endings of the
    // checkout): anything else fails when the type is first used, not when the function first runs.
    private static string ReplaceOnce(string source, string old, string replacement)
    {
        var at = source.IndexOf(old, StringComparison.Ordinal);
        if (at < 0 || source.IndexOf(old, at + old.Length, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"A migration's SQL is not as expected: '{old}' must occur exactly once.");
        }

        return string.Concat(source.AsSpan(0, at), replacement, source.AsSpan(at + old.Length));
    }

    // ---- AccessControl ---------------------------------------------------------------------------------------

    private const string MasterKeyUsesFunctionMasterKeyRotation = """
        'SELECT p.master_key_id::text, ''private_key'', pg_catalog.count(*) FROM %1$I.private_keys p WHERE p.master_key_id IS NOT NULL GROUP BY 1
                        UNION ALL SELECT k.row_mac_master_key_id::text, ''key_row_mac'', pg_catalog.count(*) FROM %1$I.public_keys k WHERE k.row_mac_master_key_id IS NOT NULL GROUP BY 1
                        UNION ALL SELECT s.master_key_id::text, ''hsm_pin'', pg_catalog.count(*) FROM %1$I.hsm_slots s GROUP BY 1
                        UNION ALL SELECT COALESCE(d.rewrap_master_key_id, d.master_key_id)::text, ''log_digest'', pg_catalog.count(*) FROM %1$I.verification_log_digests d GROUP BY 1
                        UNION ALL SELECT COALESCE(c.rewrap_master_key_id, c.master_key_id)::text, ''log_checkpoint'', pg_catalog.count(*) FROM %1$I.verification_log_checkpoints c GROUP BY 1'
        """;

    private const string MasterKeyUsesFunctionAccessControl = """
        'SELECT p.master_key_id::text, ''private_key'', pg_catalog.count(*) FROM %1$I.private_keys p WHERE p.master_key_id IS NOT NULL GROUP BY 1
                        UNION ALL SELECT k.row_mac_master_key_id::text, ''key_row_mac'', pg_catalog.count(*) FROM %1$I.public_keys k WHERE k.row_mac_master_key_id IS NOT NULL GROUP BY 1
                        UNION ALL SELECT s.master_key_id::text, ''hsm_pin'', pg_catalog.count(*) FROM %1$I.hsm_slots s GROUP BY 1
                        UNION ALL SELECT COALESCE(d.rewrap_master_key_id, d.master_key_id)::text, ''log_digest'', pg_catalog.count(*) FROM %1$I.verification_log_digests d GROUP BY 1
                        UNION ALL SELECT COALESCE(c.rewrap_master_key_id, c.master_key_id)::text, ''log_checkpoint'', pg_catalog.count(*) FROM %1$I.verification_log_checkpoints c GROUP BY 1
                        UNION ALL SELECT r.row_mac_master_key_id::text, ''identity_row_mac'', pg_catalog.count(*) FROM %1$I.users r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1
                        UNION ALL SELECT r.row_mac_master_key_id::text, ''identity_row_mac'', pg_catalog.count(*) FROM %1$I.role_permissions r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1
                        UNION ALL SELECT r.row_mac_master_key_id::text, ''identity_row_mac'', pg_catalog.count(*) FROM %1$I.user_roles r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1
                        UNION ALL SELECT r.row_mac_master_key_id::text, ''identity_row_mac'', pg_catalog.count(*) FROM %1$I.applications r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1
                        UNION ALL SELECT r.row_mac_master_key_id::text, ''identity_row_mac'', pg_catalog.count(*) FROM %1$I.application_roles r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1
                        UNION ALL SELECT r.row_mac_master_key_id::text, ''identity_row_mac'', pg_catalog.count(*) FROM %1$I.application_credentials r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1'
        """;

    private const string MasterKeyIdsFunctionAccessControl = """
        'SELECT p.master_key_id::text FROM %1$I.private_keys p WHERE p.master_key_id IS NOT NULL
                    UNION SELECT k.row_mac_master_key_id::text FROM %1$I.public_keys k WHERE k.row_mac_master_key_id IS NOT NULL
                    UNION SELECT s.master_key_id::text FROM %1$I.hsm_slots s
                    UNION SELECT r.row_mac_master_key_id::text FROM %1$I.users r WHERE r.row_mac_master_key_id IS NOT NULL
                    UNION SELECT r.row_mac_master_key_id::text FROM %1$I.role_permissions r WHERE r.row_mac_master_key_id IS NOT NULL
                    UNION SELECT r.row_mac_master_key_id::text FROM %1$I.user_roles r WHERE r.row_mac_master_key_id IS NOT NULL
                    UNION SELECT r.row_mac_master_key_id::text FROM %1$I.applications r WHERE r.row_mac_master_key_id IS NOT NULL
                    UNION SELECT r.row_mac_master_key_id::text FROM %1$I.application_roles r WHERE r.row_mac_master_key_id IS NOT NULL
                    UNION SELECT r.row_mac_master_key_id::text FROM %1$I.application_credentials r WHERE r.row_mac_master_key_id IS NOT NULL'
        """;

    private static string ReplaceMasterKeyUsesFunction(string body) => $$"""
            EXECUTE pg_catalog.format($f$
                CREATE OR REPLACE FUNCTION %1$I.keyinfra_master_key_uses() RETURNS TABLE (master_key_id text, kind text, uses bigint)
                    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                    AS {{body}}
                $f$, schema_name);
        """;

    private static readonly string[] s_identityTables = ["users", "roles", "role_permissions", "user_roles", "applications", "application_roles", "application_credentials"];

    /// <remarks>
    /// <para>
    /// Every identity table is tenant-owned: row-level security enabled and forced, with the <c>tenant_isolation</c> policy
    /// every tenant table has. <c>permissions</c> is reference data (no tenant, no policy).
    /// </para>
    /// <para>
    /// Grants, to the roles that may insert into <c>public_keys</c> (other than the owner), only what the engine does: SELECT on
    /// <c>permissions</c>; SELECT, INSERT and UPDATE (status, password, compare-and-set) on <c>users</c>, <c>applications</c>
    /// and <c>application_credentials</c>; SELECT and INSERT on <c>roles</c>; SELECT, INSERT, UPDATE (a master-key re-wrap
    /// replaces MACs) and DELETE on <c>role_permissions</c>, <c>user_roles</c> and <c>application_roles</c>; EXECUTE on
    /// <c>keyinfra_identity_tenants()</c>, a SECURITY DEFINER function that says only which tenants have identity rows. Users, applications and credentials are never
    /// deleted by the application (they are disabled or revoked), so it has no DELETE on them, and it never truncates an
    /// identity table or changes <c>permissions</c>: those privileges are revoked from every role but the owner, whoever
    /// granted them (a DBA's default privileges grant new tables everything).
    /// </para>
    /// </remarks>
    public static readonly string AccessControlUp = string.Concat(s_identityTables.Select(table => $$$"""
        ALTER TABLE {{{table}}} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {{{table}}} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON {{{table}}} {{{TenantPolicy}}};

        """)) + $$$"""
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
            app_role text;
            definer text;
        BEGIN
            IF schema_name IS NULL OR pg_catalog.strpos(schema_name, '''') > 0 THEN
                RAISE EXCEPTION 'KeyInfra cannot secure its functions in schema %', schema_name;
            END IF;
        {{{ReplaceMasterKeyUsesFunction(MasterKeyUsesFunctionAccessControl)}}}
        {{{ReplaceMasterKeyIdsFunction(MasterKeyIdsFunctionAccessControl)}}}
            EXECUTE pg_catalog.format($f$
                CREATE FUNCTION %1$I.keyinfra_identity_tenants() RETURNS TABLE (tenant_id uuid)
                    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
                    AS 'SELECT u.tenant_id FROM %1$I.users u UNION SELECT a.tenant_id FROM %1$I.applications a UNION SELECT g.tenant_id FROM %1$I.role_permissions g'
                $f$, schema_name);
            EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %1$I.keyinfra_identity_tenants() FROM PUBLIC', schema_name);

            -- The definer reads the identity tables only while it acts for another login (inside its functions), as on the key tables.
            SELECT pg_catalog.pg_get_userbyid(p.proowner) INTO definer FROM pg_catalog.pg_proc p
                WHERE p.oid = pg_catalog.to_regprocedure(pg_catalog.format('%I.keyinfra_identity_tenants()', schema_name));
            EXECUTE pg_catalog.format('CREATE POLICY keyinfra_definer_read ON %I.users FOR SELECT TO %I USING (session_user <> current_user)', schema_name, definer);
            EXECUTE pg_catalog.format('CREATE POLICY keyinfra_definer_read ON %I.applications FOR SELECT TO %I USING (session_user <> current_user)', schema_name, definer);
            EXECUTE pg_catalog.format('CREATE POLICY keyinfra_definer_read ON %I.role_permissions FOR SELECT TO %I USING (session_user <> current_user)', schema_name, definer);
            EXECUTE pg_catalog.format('CREATE POLICY keyinfra_definer_read ON %I.user_roles FOR SELECT TO %I USING (session_user <> current_user)', schema_name, definer);
            EXECUTE pg_catalog.format('CREATE POLICY keyinfra_definer_read ON %I.application_roles FOR SELECT TO %I USING (session_user <> current_user)', schema_name, definer);
            EXECUTE pg_catalog.format('CREATE POLICY keyinfra_definer_read ON %I.application_credentials FOR SELECT TO %I USING (session_user <> current_user)', schema_name, definer);

            FOR app_role IN
                SELECT DISTINCT pg_catalog.pg_get_userbyid(g.grantee)
                FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) g
                WHERE c.oid = pg_catalog.to_regclass(pg_catalog.format('%I.public_keys', schema_name))
                    AND g.privilege_type = 'INSERT' AND g.grantee <> 0 AND g.grantee <> c.relowner
            LOOP
                EXECUTE pg_catalog.format('GRANT SELECT ON %1$I.permissions TO %2$I', schema_name, app_role);
                EXECUTE pg_catalog.format('GRANT SELECT, INSERT, UPDATE ON %1$I.users, %1$I.applications, %1$I.application_credentials TO %2$I', schema_name, app_role);
                EXECUTE pg_catalog.format('GRANT SELECT, INSERT ON %1$I.roles TO %2$I', schema_name, app_role);
                EXECUTE pg_catalog.format('GRANT SELECT, INSERT, UPDATE, DELETE ON %1$I.role_permissions, %1$I.user_roles, %1$I.application_roles TO %2$I', schema_name, app_role);
                EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %1$I.keyinfra_identity_tenants() TO %2$I', schema_name, app_role);
            END LOOP;

            -- Whatever the DBA's default privileges granted: users, applications, credentials and roles are never deleted
            -- by the application, and no identity table is ever truncated by it.
            FOR app_role IN
                SELECT DISTINCT pg_catalog.pg_get_userbyid(g.grantee)
                FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) g
                WHERE c.oid IN (SELECT pg_catalog.to_regclass(pg_catalog.format('%I.%I', schema_name, t))
                        FROM pg_catalog.unnest(ARRAY['users', 'roles', 'role_permissions', 'user_roles', 'applications', 'application_roles', 'application_credentials', 'permissions']) t)
                    AND g.grantee <> 0 AND g.grantee <> c.relowner
            LOOP
                EXECUTE pg_catalog.format('REVOKE DELETE, TRUNCATE ON %1$I.users, %1$I.roles, %1$I.applications, %1$I.application_credentials FROM %2$I', schema_name, app_role);
                EXECUTE pg_catalog.format('REVOKE TRUNCATE ON %1$I.role_permissions, %1$I.user_roles, %1$I.application_roles FROM %2$I', schema_name, app_role);
                EXECUTE pg_catalog.format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %1$I.permissions FROM %2$I', schema_name, app_role);
            END LOOP;
            EXECUTE pg_catalog.format('REVOKE DELETE, TRUNCATE ON %1$I.users, %1$I.roles, %1$I.applications, %1$I.application_credentials FROM PUBLIC', schema_name);
            EXECUTE pg_catalog.format('REVOKE TRUNCATE ON %1$I.role_permissions, %1$I.user_roles, %1$I.application_roles FROM PUBLIC', schema_name);
            EXECUTE pg_catalog.format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %1$I.permissions FROM PUBLIC', schema_name);
        END
        $do$;
        """;

    /// <remarks>Runs before the tables are dropped: the functions that read them get their earlier bodies back first.</remarks>
    public static readonly string AccessControlDown = $$$"""
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
        BEGIN
        {{{ReplaceMasterKeyUsesFunction(MasterKeyUsesFunctionMasterKeyRotation)}}}
        {{{ReplaceMasterKeyIdsFunction(MasterKeyIdsFunctionHsmSlots)}}}
        END
        $do$;
        DROP FUNCTION keyinfra_identity_tenants();
        """;

    // ---- CurveStatus -----------------------------------------------------------------------------------------

    // The master keys in use and their uses, now with the curves' status MACs (counted as access-control row MACs).
    private static readonly string MasterKeyUsesFunctionCurves = ReplaceOnce(
        MasterKeyUsesFunctionAccessControl.ReplaceLineEndings("\n"),
        "FROM %1$I.application_credentials r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1'",
        "FROM %1$I.application_credentials r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1\n" +
        "                        UNION ALL SELECT r.row_mac_master_key_id::text, ''identity_row_mac'', pg_catalog.count(*) FROM %1$I.curves r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1'");

    private static readonly string MasterKeyIdsFunctionCurves = ReplaceOnce(
        MasterKeyIdsFunctionAccessControl.ReplaceLineEndings("\n"),
        "FROM %1$I.application_credentials r WHERE r.row_mac_master_key_id IS NOT NULL'",
        "FROM %1$I.application_credentials r WHERE r.row_mac_master_key_id IS NOT NULL\n" +
        "                    UNION SELECT r.row_mac_master_key_id::text FROM %1$I.curves r WHERE r.row_mac_master_key_id IS NOT NULL'");

    // The application roles: those that may insert into public_keys, other than the owner.
    private const string CurveGrantLoop = """
            FOR app_role IN
                SELECT DISTINCT pg_catalog.pg_get_userbyid(g.grantee)
                FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) g
                WHERE c.oid = pg_catalog.to_regclass(pg_catalog.format('%I.public_keys', schema_name))
                    AND g.privilege_type = 'INSERT' AND g.grantee <> 0 AND g.grantee <> c.relowner
            LOOP
        """;

    /// <remarks>
    /// The application roles may change a curve's status, version and MAC and nothing else of <c>curves</c> (a status a
    /// writer sets without the master key fails its MAC and disables the curve); the master-key functions count and
    /// list the curves' MACs.
    /// </remarks>
    public static readonly string CurveStatusUp = $$$"""
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
            app_role text;
        BEGIN
            IF schema_name IS NULL OR pg_catalog.strpos(schema_name, '''') > 0 THEN
                RAISE EXCEPTION 'KeyInfra cannot secure its functions in schema %', schema_name;
            END IF;
        {{{ReplaceMasterKeyUsesFunction(MasterKeyUsesFunctionCurves)}}}
        {{{ReplaceMasterKeyIdsFunction(MasterKeyIdsFunctionCurves)}}}
        {{{CurveGrantLoop}}}
                EXECUTE pg_catalog.format('GRANT UPDATE (status, version, row_mac, row_mac_master_key_id) ON %1$I.curves TO %2$I', schema_name, app_role);
            END LOOP;
        END
        $do$;
        """;

    public static readonly string CurveStatusDown = $$$"""
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
            app_role text;
        BEGIN
        {{{ReplaceMasterKeyUsesFunction(MasterKeyUsesFunctionAccessControl)}}}
        {{{ReplaceMasterKeyIdsFunction(MasterKeyIdsFunctionAccessControl)}}}
        {{{CurveGrantLoop}}}
                EXECUTE pg_catalog.format('REVOKE UPDATE (status, version, row_mac, row_mac_master_key_id) ON %1$I.curves FROM %2$I', schema_name, app_role);
            END LOOP;
        END
        $do$;
        """;

    // ---- Audit -----------------------------------------------------------------------------------------------

    // The log's tables partitioned by month: the verification records and both audit logs share the partition and
    // retention functions, so a month is created, and dropped, for all three at once.
    private const string PartitionedLogTables = "ARRAY['verification_records', 'control_plane_audit', 'data_plane_audit']";

    private static string PartitionAuditTable(string table, string indexes) => $$"""
        ALTER TABLE {{table}} RENAME TO {{table}}_unpartitioned;
        CREATE TABLE {{table}} (LIKE {{table}}_unpartitioned) PARTITION BY RANGE (occurred_at);
        DROP TABLE {{table}}_unpartitioned;
        ALTER TABLE {{table}} ADD CONSTRAINT pk_{{table}} PRIMARY KEY (id, occurred_at);
        {{indexes}}
        ALTER TABLE {{table}} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {{table}} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON {{table}} {{TenantPolicy}};

        """;

    // The partition and retention functions as they stand before this migration (the first as SignatureHardening made
    // it, the second as MasterKeyRotation did), and as it makes them: for the three partitioned tables (a partition is
    // named after its table and month, as verification_records_p2026_12 always was; the texts are patched with their
    // line endings made "\n", so a CRLF checkout patches the same). Only these two are replaced: the
    // retention floor, keyinfra_log_retention_months(), is the DBA's to change and stays as it is.
    private static readonly string CreatePartitionsSignatureHardening = LogChainFunctionsForced[
        LogChainFunctionsForced.IndexOf("CREATE OR REPLACE FUNCTION @schema@.keyinfra_create_verification_partitions", StringComparison.Ordinal)..LogChainFunctionsForced.IndexOf("CREATE OR REPLACE FUNCTION @schema@.keyinfra_drop_verification_partitions", StringComparison.Ordinal)];

    private static readonly string AuditPartitionFunctions =
        ReplaceOnce(
            ReplaceOnce(
            ReplaceOnce(
            ReplaceOnce(
            CreatePartitionsSignatureHardening.ReplaceLineEndings("\n"),
            "    FOR i IN 1 .. month_count LOOP\n        part_name := 'verification_records_p' || pg_catalog.to_char(month_start, 'YYYY_MM');",
            "    FOR i IN 1 .. month_count LOOP\n    FOREACH parent IN ARRAY " + PartitionedLogTables + " LOOP\n        part_name := parent || '_p' || pg_catalog.to_char(month_start, 'YYYY_MM');"),
            "EXECUTE pg_catalog.format('CREATE TABLE %I.%I PARTITION OF %I.verification_records FOR VALUES FROM (%L) TO (%L)',\n                '@schema_name@', part_name, '@schema_name@', month_start, month_start + interval '1 month');",
            "EXECUTE pg_catalog.format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',\n                '@schema_name@', part_name, '@schema_name@', parent, month_start, month_start + interval '1 month');"),
            "            created := created + 1;\n        END IF;\n        month_start := month_start + interval '1 month';",
            "            created := created + 1;\n        END IF;\n    END LOOP;\n        month_start := month_start + interval '1 month';"),
            "    part_name text;\n    created integer := 0;",
            "    part_name text;\n    parent text;\n    created integer := 0;")
        + ReplaceOnce(
            ReplaceOnce(
            DropPartitionsMasterKeyRotation.ReplaceLineEndings("\n"),
            "        WHERE i.inhparent = pg_catalog.to_regclass(pg_catalog.format('%I.verification_records', '@schema_name@'))",
            "        WHERE i.inhparent IN (SELECT pg_catalog.to_regclass(pg_catalog.format('%I.%I', '@schema_name@', t)) FROM pg_catalog.unnest(" + PartitionedLogTables + ") t)"),
            "'Refusing to drop verification records newer than",
            "'Refusing to drop log records newer than");

    /// <remarks>
    /// <para>Both audit tables become partitioned by month of <c>occurred_at</c> (created empty, so nothing moves), under
    /// forced row-level security, append-only for every role but the owner; the application roles (those that may
    /// insert into <c>public_keys</c>) get SELECT and INSERT. The partition and retention functions now serve all three
    /// partitioned tables, and this month and the next ones get their audit partitions.</para>
    /// <para><c>target</c> is a generated <c>jsonb</c> column (<c>{"type": …, "id": …}</c>) with a GIN index: derived
    /// from the chained columns, so it cannot be written to say anything else.</para>
    /// </remarks>
    public static readonly string AuditUp =
        PartitionAuditTable("control_plane_audit", """
            CREATE INDEX ix_control_plane_audit_tenant_id_occurred_at ON control_plane_audit (tenant_id, occurred_at);
            CREATE INDEX ix_control_plane_audit_tenant_id_target ON control_plane_audit (tenant_id, target_type, target_id, occurred_at);
            """) +
        PartitionAuditTable("data_plane_audit", """
            CREATE INDEX ix_data_plane_audit_tenant_id_occurred_at ON data_plane_audit (tenant_id, occurred_at);
            CREATE INDEX ix_data_plane_audit_tenant_id_key_id_occurred_at ON data_plane_audit (tenant_id, key_id, occurred_at);
            """) + $$$"""
        -- IMMUTABLE (jsonb_build_object is only STABLE in general; for two texts it is immutable), as a generated column needs.
        CREATE FUNCTION keyinfra_audit_target(target_type text, target_id text) RETURNS jsonb
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $fn$ SELECT pg_catalog.jsonb_build_object('type', target_type, 'id', target_id) $fn$;
        ALTER TABLE control_plane_audit ADD COLUMN target jsonb GENERATED ALWAYS AS (keyinfra_audit_target(target_type, target_id)) STORED;
        CREATE INDEX ix_control_plane_audit_target ON control_plane_audit USING gin (target);
        {{{ReplaceFunctions(AuditPartitionFunctions)}}}
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
            app_role text;
        BEGIN
            FOR app_role IN
                SELECT DISTINCT pg_catalog.pg_get_userbyid(g.grantee)
                FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) g
                WHERE c.oid = pg_catalog.to_regclass(pg_catalog.format('%I.public_keys', schema_name))
                    AND g.privilege_type = 'INSERT' AND g.grantee <> 0 AND g.grantee <> c.relowner
            LOOP
                EXECUTE pg_catalog.format('GRANT SELECT, INSERT ON %1$I.control_plane_audit, %1$I.data_plane_audit TO %2$I', schema_name, app_role);
            END LOOP;
            EXECUTE pg_catalog.format('SELECT %1$I.keyinfra_revoke_log_changes(%2$L::regclass)', schema_name, pg_catalog.format('%I.control_plane_audit', schema_name));
            EXECUTE pg_catalog.format('SELECT %1$I.keyinfra_revoke_log_changes(%2$L::regclass)', schema_name, pg_catalog.format('%I.data_plane_audit', schema_name));
        END
        $do$;
        SELECT keyinfra_create_verification_partitions(now(), 4);
        """;

    /// <remarks>Puts the partition functions back as they were; the tables (and their partitions) go with them.</remarks>
    public static readonly string AuditDown = $$"""
        {{ReplaceFunctions(CreatePartitionsSignatureHardening + DropPartitionsMasterKeyRotation)}}
        DROP TABLE control_plane_audit;
        DROP TABLE data_plane_audit;
        DROP FUNCTION keyinfra_audit_target(text, text);
        """;

    // A scalar subquery is an InitPlan, evaluated once per statement: outside a scope the policy costs one test. The
    // cast makes it an array expression, so that "= ANY" reads the array, not the subquery's rows.
    private const string CurrentOwners = "(SELECT keyinfra_current_owners())::text[]";

    /// <remarks>
    /// The ownership rule as row-level security, where it can be expressed: the engine sets <c>keyinfra.owners</c> (the
    /// owner scope of an owner-scoped caller's key list or log query) on the connection, and these restrictive SELECT
    /// policies then hide every key of another owner, and every verification record neither made by one of the owners
    /// nor of one of their keys. An empty setting (no scope: the engine's shared caches, the writer, every other read)
    /// restricts nothing. The policies are on the parent tables, which are the engine's only way in.
    /// </remarks>
    public const string OwnerScopeUp = $$$"""
        -- The owners of the current read; NULL (the setting missing or empty) for the whole tenant.
        CREATE FUNCTION keyinfra_current_owners() RETURNS text[]
            LANGUAGE sql STABLE PARALLEL SAFE
            AS $fn$ SELECT NULLIF(current_setting('keyinfra.owners', true), '')::text[] $fn$;
        CREATE POLICY owner_scope ON public_keys AS RESTRICTIVE FOR SELECT
            USING ({{{CurrentOwners}}} IS NULL OR owner = ANY ({{{CurrentOwners}}}));
        CREATE POLICY owner_scope ON verification_records AS RESTRICTIVE FOR SELECT
            USING ({{{CurrentOwners}}} IS NULL OR caller_id = ANY ({{{CurrentOwners}}})
                OR requested_key_id IN (SELECT k.id FROM public_keys k WHERE k.owner = ANY ({{{CurrentOwners}}})));
        """;

    /// <remarks>Drops the owner policies and their function.</remarks>
    public const string OwnerScopeDown = """
        DROP POLICY owner_scope ON verification_records;
        DROP POLICY owner_scope ON public_keys;
        DROP FUNCTION keyinfra_current_owners();
        """;

    // ---- Certificates ----------------------------------------------------------------------------------------

    private const string CertificateIndexes = """
        CREATE INDEX ix_certificates_active_tenant_id_not_after ON certificates (tenant_id, not_after) WHERE status = 'active';
        CREATE INDEX ix_certificates_active_tenant_id_owner_not_after ON certificates (tenant_id, owner, not_after) WHERE status = 'active';
        CREATE INDEX ix_certificates_tenant_id_owner_id ON certificates (tenant_id, owner, id);
        CREATE INDEX ix_certificates_tenant_id_authority_id_id ON certificates (tenant_id, authority_id, id);
        """;

    // The partition functions of certificates, as the log's (same conventions: SECURITY DEFINER, schema-qualified,
    // serialized by an advisory lock, each partition with the tenant policy of its own since it can be named directly).
    // A partition is a calendar month (UTC) of not_after. The application may create months from 1 before to 241
    // after the current one (an authority's certificate may run 20 years); retention drops only partitions whose
    // month ended at least 24 months ago, whatever cutoff it is given (keyinfra_certificate_retention_months()).
    private const string CertificatePartitionFunctions = """
        CREATE OR REPLACE FUNCTION @schema@.keyinfra_certificate_retention_months() RETURNS integer
            LANGUAGE sql IMMUTABLE AS $fn$ SELECT 24 $fn$;

        CREATE OR REPLACE FUNCTION @schema@.keyinfra_create_certificate_partitions(first_month timestamptz, month_count integer) RETURNS integer
            LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = pg_catalog, pg_temp
            SET "TimeZone" = 'UTC'
            AS $fn$
        DECLARE
            this_month timestamptz := pg_catalog.date_trunc('month', pg_catalog.now());
            month_start timestamptz := pg_catalog.date_trunc('month', first_month);
            part_name text;
            created integer := 0;
        BEGIN
            IF first_month IS NULL OR month_count IS NULL OR month_count < 1 OR month_count > 300 THEN
                RAISE EXCEPTION 'first_month must be given and month_count be between 1 and 300' USING ERRCODE = '22023';
            END IF;
            PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('keyinfra_certificate_partitions'));
            FOR i IN 1 .. month_count LOOP
                part_name := 'certificates_p' || pg_catalog.to_char(month_start, 'YYYY_MM');
                IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', '@schema_name@', part_name)) IS NULL THEN
                    IF (month_start < this_month - interval '1 month' OR month_start > this_month + interval '241 months')
                            AND NOT pg_catalog.pg_has_role(session_user, current_user, 'MEMBER') THEN
                        RAISE EXCEPTION 'Only the owner may create the certificates partition of %: it is more than 1 month before or 241 months after the current month',
                            pg_catalog.to_char(month_start, 'YYYY-MM') USING ERRCODE = '22023';
                    END IF;
                    EXECUTE pg_catalog.format('CREATE TABLE %I.%I PARTITION OF %I.certificates FOR VALUES FROM (%L) TO (%L)',
                        '@schema_name@', part_name, '@schema_name@', month_start, month_start + interval '1 month');
                    EXECUTE pg_catalog.format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', '@schema_name@', part_name);
                    EXECUTE pg_catalog.format('ALTER TABLE %I.%I FORCE ROW LEVEL SECURITY', '@schema_name@', part_name);
                    EXECUTE pg_catalog.format('CREATE POLICY tenant_isolation ON %I.%I USING (tenant_id = %I.keyinfra_current_tenant()) WITH CHECK (tenant_id = %I.keyinfra_current_tenant())',
                        '@schema_name@', part_name, '@schema_name@', '@schema_name@');
                    -- A partition named directly keeps the owner scope too.
                    EXECUTE pg_catalog.format('CREATE POLICY owner_scope ON %I.%I AS RESTRICTIVE FOR SELECT USING ((SELECT %I.keyinfra_current_owners())::text[] IS NULL OR owner = ANY ((SELECT %I.keyinfra_current_owners())::text[]))',
                        '@schema_name@', part_name, '@schema_name@', '@schema_name@');
                    created := created + 1;
                END IF;
                month_start := month_start + interval '1 month';
            END LOOP;
            RETURN created;
        END
        $fn$;

        CREATE OR REPLACE FUNCTION @schema@.keyinfra_drop_certificate_partitions(older_than timestamptz) RETURNS TABLE (partition_name text)
            LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = pg_catalog, pg_temp
            SET "TimeZone" = 'UTC'
            AS $fn$
        DECLARE
            part record;
            upper_bound timestamptz;
            floor_month timestamptz := pg_catalog.date_trunc('month', pg_catalog.now())
                - pg_catalog.make_interval(months => @schema@.keyinfra_certificate_retention_months());
        BEGIN
            IF older_than IS NULL THEN
                RAISE EXCEPTION 'older_than must be given' USING ERRCODE = '22023';
            END IF;
            IF older_than > floor_month THEN
                older_than := floor_month;
            END IF;
            PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('keyinfra_certificate_partitions'));
            FOR part IN
                SELECT c.oid::pg_catalog.regclass AS rel, c.relname::text AS relname, pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound
                FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = pg_catalog.to_regclass(pg_catalog.format('%I.certificates', '@schema_name@'))
                ORDER BY c.relname
            LOOP
                upper_bound := pg_catalog.substring(part.bound, 'TO \(''([^'']+)''\)')::timestamptz;
                IF upper_bound IS NOT NULL AND upper_bound <= older_than THEN
                    EXECUTE pg_catalog.format('DROP TABLE %s', part.rel);
                    partition_name := part.relname;
                    RETURN NEXT;
                END IF;
            END LOOP;
        END
        $fn$;

        CREATE OR REPLACE FUNCTION @schema@.keyinfra_certificate_authority_tenants() RETURNS TABLE (tenant_id uuid)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $fn$ SELECT DISTINCT a.tenant_id FROM @schema@.certificate_authorities a $fn$;

        -- The expiring-soon alert as SQL: the current tenant's active certificates whose not_after falls in the next
        -- days (7 by default), soonest first. SECURITY INVOKER, so row-level security applies to whoever calls it;
        -- served by ix_certificates_active_tenant_id_not_after.
        CREATE OR REPLACE FUNCTION @schema@.keyinfra_certificates_expiring(days integer DEFAULT 7) RETURNS SETOF @schema@.certificates
            LANGUAGE sql STABLE
            SET search_path = pg_catalog, pg_temp
            AS $fn$
            SELECT c.* FROM @schema@.certificates c
            WHERE c.tenant_id = @schema@.keyinfra_current_tenant() AND c.status = 'active'
                AND c.not_after > pg_catalog.now() AND c.not_after <= pg_catalog.now() + pg_catalog.make_interval(days => days)
            ORDER BY c.not_after, c.id
            $fn$;
        """;

    private static readonly string[] s_certificateTables = ["certificate_authorities", "certificates", "certificate_serials", "revoked_certificates", "certificate_revocation_lists"];

    // The master keys in use and their uses, now with the certificate authorities' row MACs (counted as identity row MACs: the same subkey).
    private static readonly string MasterKeyUsesFunctionCertificates = ReplaceOnce(
        MasterKeyUsesFunctionCurves,
        "FROM %1$I.curves r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1'",
        "FROM %1$I.curves r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1\n" +
        "                        UNION ALL SELECT r.row_mac_master_key_id::text, ''identity_row_mac'', pg_catalog.count(*) FROM %1$I.certificate_authorities r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1'");

    private static readonly string MasterKeyIdsFunctionCertificates = ReplaceOnce(
        MasterKeyIdsFunctionCurves,
        "FROM %1$I.curves r WHERE r.row_mac_master_key_id IS NOT NULL'",
        "FROM %1$I.curves r WHERE r.row_mac_master_key_id IS NOT NULL\n" +
        "                    UNION SELECT r.row_mac_master_key_id::text FROM %1$I.certificate_authorities r WHERE r.row_mac_master_key_id IS NOT NULL'");

    /// <remarks>
    /// <para><c>certificates</c> becomes partitioned by month of <c>not_after</c> (the table EF Core made is empty and is
    /// rebuilt): its primary key is <c>(id, not_after)</c>, no foreign key points at it, and serial numbers are unique
    /// through the unpartitioned <c>certificate_serials</c>. The partitions of this month and the next 15 are created now;
    /// the engine creates a certificate's month before it stores it (through the function, so no CREATE right is needed).</para>
    /// <para>All five tables are tenant-owned (row-level security enabled and forced, <c>tenant_isolation</c>), and
    /// <c>certificates</c> has the restrictive <c>owner_scope</c> read policy the keys have. The application roles get
    /// only what the engine does: SELECT and INSERT everywhere, UPDATE of a certificate's status and renewal columns and
    /// of an authority's CRL state and MAC; no DELETE (retention drops partitions through its function) and no TRUNCATE.</para>
    /// </remarks>
    public static readonly string CertificatesUp = $$$"""
        DROP TABLE certificates;
        CREATE TABLE certificates (
            id uuid NOT NULL,
            tenant_id uuid NOT NULL,
            authority_id uuid NOT NULL,
            serial_number character varying(40) NOT NULL,
            owner character varying(200) NOT NULL,
            subject character varying(2048) NOT NULL,
            subject_alternative_names character varying(26624) NOT NULL,
            not_before timestamp with time zone NOT NULL,
            not_after timestamp with time zone NOT NULL,
            status character varying(32) NOT NULL,
            version integer NOT NULL,
            previous_id uuid NULL,
            renewed_at timestamp with time zone NULL,
            renewed_by character varying(200) NULL,
            renewed_by_id uuid NULL,
            profile_name character varying(64) NOT NULL,
            key_id uuid NULL,
            der bytea NOT NULL,
            created_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_certificates PRIMARY KEY (id, not_after)
        ) PARTITION BY RANGE (not_after);
        {{{CertificateIndexes}}}
        {{{string.Concat(s_certificateTables.Select(table => $"""
        ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON {table} {TenantPolicy};

        """))}}}
        CREATE POLICY owner_scope ON certificates AS RESTRICTIVE FOR SELECT
            USING ({{{CurrentOwners}}} IS NULL OR owner = ANY ({{{CurrentOwners}}}));
        {{{ReplaceFunctions(CertificatePartitionFunctions)}}}
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
            app_role text;
            definer text;
        BEGIN
        {{{ReplaceMasterKeyUsesFunction(MasterKeyUsesFunctionCertificates)}}}
        {{{ReplaceMasterKeyIdsFunction(MasterKeyIdsFunctionCertificates)}}}
            EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %1$I.keyinfra_create_certificate_partitions(timestamptz, integer), %1$I.keyinfra_certificate_authority_tenants(), %1$I.keyinfra_drop_certificate_partitions(timestamptz) FROM PUBLIC', schema_name);

            -- The definer reads the authorities only inside its functions (the tenants that have one), as on the identity tables.
            SELECT pg_catalog.pg_get_userbyid(p.proowner) INTO definer FROM pg_catalog.pg_proc p
                WHERE p.oid = pg_catalog.to_regprocedure(pg_catalog.format('%I.keyinfra_certificate_authority_tenants()', schema_name));
            EXECUTE pg_catalog.format('CREATE POLICY keyinfra_definer_read ON %I.certificate_authorities FOR SELECT TO %I USING (session_user <> current_user)', schema_name, definer);
        {{{CurveGrantLoop}}}
                EXECUTE pg_catalog.format('REVOKE ALL ON %1$I.certificate_authorities, %1$I.certificates, %1$I.certificate_serials, %1$I.revoked_certificates, %1$I.certificate_revocation_lists FROM %2$I', schema_name, app_role);
                EXECUTE pg_catalog.format('GRANT SELECT, INSERT ON %1$I.certificate_authorities, %1$I.certificates, %1$I.certificate_serials, %1$I.revoked_certificates, %1$I.certificate_revocation_lists TO %2$I', schema_name, app_role);
                EXECUTE pg_catalog.format('GRANT UPDATE (crl_number, last_crl_sha256, next_crl_due, version, row_mac, row_mac_master_key_id) ON %1$I.certificate_authorities TO %2$I', schema_name, app_role);
                EXECUTE pg_catalog.format('GRANT UPDATE (status, renewed_at, renewed_by, renewed_by_id) ON %1$I.certificates TO %2$I', schema_name, app_role);
                EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %1$I.keyinfra_create_certificate_partitions(timestamptz, integer), %1$I.keyinfra_certificate_authority_tenants() TO %2$I', schema_name, app_role);
            END LOOP;
        END
        $do$;
        SELECT keyinfra_create_certificate_partitions(now(), 16);
        """;

    /// <remarks>Puts the master-key functions back; the tables, their partitions, policies and functions go.</remarks>
    public static readonly string CertificatesDown = $$$"""
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
        BEGIN
        {{{ReplaceMasterKeyUsesFunction(MasterKeyUsesFunctionCurves)}}}
        {{{ReplaceMasterKeyIdsFunction(MasterKeyIdsFunctionCurves)}}}
        END
        $do$;
        DROP FUNCTION keyinfra_certificates_expiring(integer);
        DROP FUNCTION keyinfra_certificate_authority_tenants();
        DROP FUNCTION keyinfra_drop_certificate_partitions(timestamptz);
        DROP FUNCTION keyinfra_create_certificate_partitions(timestamptz, integer);
        DROP FUNCTION keyinfra_certificate_retention_months();
        DROP TABLE certificates;
        CREATE TABLE certificates (id uuid NOT NULL CONSTRAINT pk_certificates PRIMARY KEY);
        """;

    // ---- CertificateRowMacs ----------------------------------------------------------------------------------

    // The master keys in use and their uses, now with the certificates' and revocations' row MACs (identity row MACs: the same subkey).
    private static readonly string MasterKeyUsesFunctionCertificateRows = ReplaceOnce(
        MasterKeyUsesFunctionCertificates,
        "FROM %1$I.certificate_authorities r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1'",
        "FROM %1$I.certificate_authorities r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1\n" +
        "                        UNION ALL SELECT r.row_mac_master_key_id::text, ''identity_row_mac'', pg_catalog.count(*) FROM %1$I.certificates r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1\n" +
        "                        UNION ALL SELECT r.row_mac_master_key_id::text, ''identity_row_mac'', pg_catalog.count(*) FROM %1$I.revoked_certificates r WHERE r.row_mac_master_key_id IS NOT NULL GROUP BY 1'");

    private static readonly string MasterKeyIdsFunctionCertificateRows = ReplaceOnce(
        MasterKeyIdsFunctionCertificates,
        "FROM %1$I.certificate_authorities r WHERE r.row_mac_master_key_id IS NOT NULL'",
        "FROM %1$I.certificate_authorities r WHERE r.row_mac_master_key_id IS NOT NULL\n" +
        "                    UNION SELECT r.row_mac_master_key_id::text FROM %1$I.certificates r WHERE r.row_mac_master_key_id IS NOT NULL\n" +
        "                    UNION SELECT r.row_mac_master_key_id::text FROM %1$I.revoked_certificates r WHERE r.row_mac_master_key_id IS NOT NULL'");

    /// <remarks>
    /// The master-key functions count and list the MACs of <c>certificates</c> and <c>revoked_certificates</c> (so a master
    /// key still sealing one is never retired), reading them across tenants through a <c>keyinfra_definer_read</c> policy
    /// for the functions' owner, as for the authorities; the application roles may replace those MACs (a re-wrap) and,
    /// on <c>certificates</c>, still only the status and renewal columns beside them.
    /// </remarks>
    public static readonly string CertificateRowMacsUp = $$$"""
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
            app_role text;
            definer text;
        BEGIN
            IF schema_name IS NULL OR pg_catalog.strpos(schema_name, '''') > 0 THEN
                RAISE EXCEPTION 'KeyInfra cannot secure its functions in schema %', schema_name;
            END IF;
        {{{ReplaceMasterKeyUsesFunction(MasterKeyUsesFunctionCertificateRows)}}}
        {{{ReplaceMasterKeyIdsFunction(MasterKeyIdsFunctionCertificateRows)}}}
            SELECT pg_catalog.pg_get_userbyid(p.proowner) INTO definer FROM pg_catalog.pg_proc p
                WHERE p.oid = pg_catalog.to_regprocedure(pg_catalog.format('%I.keyinfra_master_key_uses()', schema_name));
            EXECUTE pg_catalog.format('CREATE POLICY keyinfra_definer_read ON %I.certificates FOR SELECT TO %I USING (session_user <> current_user)', schema_name, definer);
            EXECUTE pg_catalog.format('CREATE POLICY keyinfra_definer_read ON %I.revoked_certificates FOR SELECT TO %I USING (session_user <> current_user)', schema_name, definer);
        {{{CurveGrantLoop}}}
                EXECUTE pg_catalog.format('GRANT UPDATE (row_mac, row_mac_master_key_id) ON %1$I.certificates, %1$I.revoked_certificates TO %2$I', schema_name, app_role);
            END LOOP;
        END
        $do$;
        """;

    /// <remarks>Puts the master-key functions back and drops the policies; the columns (and their grants) go with the migration.</remarks>
    public static readonly string CertificateRowMacsDown = $$$"""
        DO $do$
        DECLARE
            schema_name text := pg_catalog.current_schema();
        BEGIN
        {{{ReplaceMasterKeyUsesFunction(MasterKeyUsesFunctionCertificates)}}}
        {{{ReplaceMasterKeyIdsFunction(MasterKeyIdsFunctionCertificates)}}}
        END
        $do$;
        DROP POLICY keyinfra_definer_read ON certificates;
        DROP POLICY keyinfra_definer_read ON revoked_certificates;
        """;
}
