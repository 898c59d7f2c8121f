//! What the contract scenarios share: accounts, two organisations to check isolation with,
//! and a page that holds everything.

use framewright_store::*;

/// A password hash of the right shape (the store never checks it).
pub const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

/// A page large enough for every list in the scenarios.
pub const ALL: PageRequest = PageRequest {
    offset: 0,
    limit: 100,
};

/// A new account in organisation `org`.
pub fn account(org: &str, email: &str) -> NewAccount {
    NewAccount {
        org_slug: org.into(),
        org_name: org.to_uppercase(),
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        password_hash: HASH.into(),
    }
}

/// Two organisations with one owner each.
pub async fn two_orgs(store: &dyn Store) -> ((Organisation, User), (Organisation, User)) {
    let a = store
        .setup_first_owner(account("alpha", "ann@alpha.test"))
        .await
        .unwrap();
    let b = store
        .admin_create_user(account("beta", "bob@beta.test"), Role::Owner)
        .await
        .unwrap();
    (a, b)
}
