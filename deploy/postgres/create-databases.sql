-- One database per service: no service reads another's tables.
CREATE DATABASE sso;
CREATE DATABASE portal;
CREATE DATABASE workload;
CREATE DATABASE directory;
CREATE DATABASE news;
