//! The workspace server: REST API with OpenAPI, web interface, accounts and organisations.
