-- Development roles for docker-compose.yml (see docs/postgresql.md). Not for production: the passwords are public.
CREATE ROLE keyinfra_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'owner-dev-password';
CREATE ROLE keyinfra_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'app-dev-password';
CREATE DATABASE keyinfra OWNER keyinfra_owner;
\connect keyinfra
ALTER DEFAULT PRIVILEGES FOR ROLE keyinfra_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO keyinfra_app;
-- PostgreSQL 14 and older let every role create in public; the image may be one of them.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- Only KeyInfra's roles may connect: anyone connected could LISTEN to, and NOTIFY on, the key-change channel.
REVOKE CONNECT ON DATABASE keyinfra FROM PUBLIC;
GRANT CONNECT ON DATABASE keyinfra TO keyinfra_owner, keyinfra_app;
