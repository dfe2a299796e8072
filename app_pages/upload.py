"""Daten hochladen — target, file, what was detected, mapping, every problem, diff, publish with a note."""
import streamlit as st

from ui import auth, data, shell
from ui import upload_views as views
from ui.i18n import t

actor = auth.current_actor(data.get_store())
lang = shell.language()
st.title(t("page_upload", lang))
if not auth.is_analyst(actor):
    st.info(t("upload_analysts_only", lang))
    st.stop()

st.markdown(t("upload_intro", lang))
views.flash(lang)
with views.store_errors(lang):
    target = views.choose_target(lang)                                     # 1
    file = views.choose_file(lang)                                         # 2
    if file is None:
        st.stop()
    analysis = views.show_detection(file, lang)                            # 3
    mapping = views.edit_mapping(file, analysis, target, lang)             # 4
    base = views.captured_base(file, target.dataset)
    checked = views.check(file, analysis, target, mapping, base)
    views.show_problems(checked["prepared"], lang)                         # 5
    views.show_diff(checked["prepared"], checked["totals"], base, lang)    # 6
    views.show_publish(file, checked["prepared"], base, actor, lang)       # 7
