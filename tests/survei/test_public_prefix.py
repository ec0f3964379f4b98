"""survei's public pages sit behind the intake pages' privacy rules (cases.registry.register_public_pages)."""

from cases import registry


def test_its_pages_are_a_public_prefix_with_their_own_language_switch(client, db):
    assert "/survei/" in registry.public_prefixes()
    assert registry.public_namespace_at("/survei/abc/") == "survei_publik"
    assert registry.public_namespace_at("/kelola/survei/") is None
    response = client.get("/survei/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Phone/1.0")
    assert response.status_code == 200
    # The page's language switch posts under /survei/ (the privacy prefix), not to /i18n/setlang/.
    assert 'action="/survei/bahasa/"' in response.content.decode()


def test_the_language_switch_works_there(client):
    response = client.post("/survei/bahasa/", {"language": "en", "next": "/survei/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
