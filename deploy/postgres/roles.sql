-- One service's database and its two roles, for compose, production and the deploy tests alike:
--   psql -v service=workload -v owner_password=… -v app_password=… -f deploy/postgres/roles.sql
--   <prefix><service>_owner  owns the schema: the migrate Job's role (<SERVICE>_MIGRATION_DATABASE_URL)
--   <prefix><service>        the running service's role (<SERVICE>_DATABASE_URL): rows only, never the schema
-- The prefix is dcc_ unless -v prefix=… says otherwise; the database is named like the service unless
-- -v database=… does. Run as a superuser (or a role with CREATEROLE and CREATEDB).
\set ON_ERROR_STOP on
\if :{?prefix}
\else
  \set prefix dcc_
\endif
\if :{?database}
\else
  \set database :service
\endif
\set owner :prefix :service _owner
\set app :prefix :service

CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN PASSWORD :'app_password';
CREATE DATABASE :"database" OWNER :"owner";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"app";

\connect :"database"
-- PostgreSQL before 15 let every role create objects in public; nobody but the owner may here.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO :"owner";
GRANT USAGE ON SCHEMA public TO :"app";
-- Whatever the owner's migrations create, now or in any later release, the service may read and write.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app";
