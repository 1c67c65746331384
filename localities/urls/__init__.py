"""Routes of the localities app, one module per URL prefix. fedportal/urls.py
mounts each module at its prefix in the "localities" namespace:

    /localities/  localities.py  localities and their practices' patients
    /practices/   practices.py   practices and their list sizes
    /imports/     imports.py     imports of NHS data files (staff)
"""
