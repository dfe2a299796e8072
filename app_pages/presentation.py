"""Präsentation — a deck of saved views played slide by slide; analysts save views and arrange decks."""
import streamlit as st

from ui import auth, data, shell
from ui import presentation_views as views
from ui.i18n import t
from ui.upload_views import store_errors

actor = auth.current_actor(data.get_store())
lang = shell.language()
st.title(t("page_presentation", lang))
if not views.presenting():
    st.markdown(t("presentation_intro", lang))
views.start(lang)

with store_errors(lang):
    decks = views.load_decks()
    deck = views.choose_deck(decks, lang)
    slide = views.choose_slide(deck, lang) if deck is not None else None
    if slide is not None:
        views.show_slide(deck, slide, lang)
        views.deck_download(deck, lang)
    if auth.is_analyst(actor) and not views.presenting():
        st.divider()
        st.header(t("presentation_manage", lang), anchor=False)
        views.save_hint(lang)
        views.manage(actor, decks, deck, lang)
